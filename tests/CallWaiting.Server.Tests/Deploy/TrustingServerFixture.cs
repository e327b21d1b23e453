using CallWaiting.Server.Tests.Infrastructure;

namespace CallWaiting.Server.Tests.Deploy;

/// <summary>One server that trusts 127.0.0.1 (only) as its proxy.</summary>
public sealed class TrustingServerFixture : IAsyncLifetime
{
    /// <summary>The running server.</summary>
    public ServerProcess Server { get; private set; } = null!;

    /// <inheritdoc />
    public async Task InitializeAsync() =>
        Server = await ServerProcess.StartAsync(new Dictionary<string, string?> { ["CALLWAITING_Api__TrustedProxies__0"] = "127.0.0.1" });

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (Server is not null) await Server.DisposeAsync();
    }
}
