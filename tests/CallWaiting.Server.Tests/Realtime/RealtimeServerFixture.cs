using CallWaiting.Server.Tests.Infrastructure;

namespace CallWaiting.Server.Tests.Realtime;

/// <summary>
/// One real server (embedded SQLite, no Redis) for the WebSocket and Twilio tests, with short timeouts so idle,
/// expiry and close behaviour can be observed in seconds, and a Twilio auth token so webhooks must be signed.
/// </summary>
public sealed class RealtimeServerFixture : IAsyncLifetime
{
    /// <summary>The Twilio auth token the server validates signatures with.</summary>
    public const string TwilioAuthToken = "realtime-test-twilio-auth-token";

    /// <summary>Idle timeout of WebSocket sessions.</summary>
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(3);

    /// <summary>Lifetime of WebSocket tokens (their expiry is tested on a fake clock, so nothing here waits for it).</summary>
    public static readonly TimeSpan TokenTtl = TimeSpan.FromSeconds(30);

    /// <summary>Lifetime of signed audio URLs.</summary>
    public static readonly TimeSpan AudioUrlTtl = TimeSpan.FromSeconds(6);

    /// <summary>Largest client message.</summary>
    public const int MaxMessageBytes = 64 * 1024;

    /// <summary>The running server.</summary>
    public ServerProcess Server { get; private set; } = null!;

    /// <summary>ws://127.0.0.1:PORT/v1/tts/ws.</summary>
    public Uri WebSocketUri => new($"ws://{Server.BaseAddress.Authority}/v1/tts/ws");

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        Server = await ServerProcess.StartAsync(new Dictionary<string, string?>(ServerProcess.Unthrottled)
        {
            ["CALLWAITING_Realtime__IdleTimeout"] = IdleTimeout.ToString(),
            ["CALLWAITING_Realtime__TokenTtl"] = TokenTtl.ToString(),
            ["CALLWAITING_Realtime__MaxMessageBytes"] = MaxMessageBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["CALLWAITING_Realtime__KeepAliveInterval"] = "00:00:01",
            ["CALLWAITING_Realtime__CloseGrace"] = "00:00:01",
            ["CALLWAITING_Realtime__MaxBufferedAudio"] = "00:00:02",
            ["CALLWAITING_Twilio__AuthToken"] = TwilioAuthToken,
            ["CALLWAITING_Twilio__AudioUrlTtl"] = AudioUrlTtl.ToString(),
        });
    }

    /// <inheritdoc />
    public async Task DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>The tests that share <see cref="RealtimeServerFixture"/>.</summary>
[CollectionDefinition(Name)]
public sealed class RealtimeServerCollection : ICollectionFixture<RealtimeServerFixture>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Realtime server";
}
