using CallWaiting.Server.Tests.Infrastructure;

namespace CallWaiting.Server.Tests.Revocation;

/// <summary>One server on the embedded default (SQLite under its own data folder, no Redis), which the CLI can share.</summary>
public sealed class EmbeddedServerFixture : IAsyncLifetime
{
    /// <summary>The running server.</summary>
    public ServerProcess Server { get; private set; } = null!;

    /// <summary>The environment that points the CLI at the server's database.</summary>
    public Dictionary<string, string?> Environment { get; } = new()
    {
        ["CALLWAITING_DATA_DIR"] = Directory.CreateTempSubdirectory("cw-revocation-").FullName,
    };

    /// <inheritdoc />
    public async Task InitializeAsync() => Server = await ServerProcess.StartAsync(Environment);

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (Server is not null) await Server.DisposeAsync();
    }
}
