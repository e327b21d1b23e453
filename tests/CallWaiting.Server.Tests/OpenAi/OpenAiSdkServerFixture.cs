using CallWaiting.Server.Tests.Infrastructure;

namespace CallWaiting.Server.Tests.OpenAi;

/// <summary>
/// A real server on the embedded defaults (SQLite, no Redis) with OpenAI voice names configured: shimmer re-mapped,
/// "operator" added with a missing first choice, "ghost" mapped to nothing this server has.
/// </summary>
public sealed class OpenAiSdkServerFixture : IAsyncLifetime
{
    /// <summary>The running server.</summary>
    public ServerProcess Server { get; private set; } = null!;

    /// <summary>The server's /v1 base URL, as the OpenAI SDKs take it.</summary>
    public Uri BaseUrl => new(Server.BaseAddress, "v1");

    /// <inheritdoc />
    public async Task InitializeAsync() => Server = await ServerProcess.StartAsync(new Dictionary<string, string?>(ServerProcess.Unthrottled)
    {
        ["CALLWAITING_OpenAi__Voices__shimmer"] = "james-en-us",
        ["CALLWAITING_OpenAi__Voices__operator"] = "no-such-voice, sophia-en-gb",
        ["CALLWAITING_OpenAi__Voices__ghost"] = "no-such-voice",
    });

    /// <inheritdoc />
    public async Task DisposeAsync() => await Server.DisposeAsync();
}
