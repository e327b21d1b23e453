using CallWaiting.Server.Tests.Infrastructure;

namespace CallWaiting.Server.Tests.Resilience;

/// <summary>
/// One server with a single engine worker and room for a single waiting request (CALLWAITING_Speech__Workers=1,
/// CALLWAITING_Speech__QueueCapacity=1), on its own PostgreSQL database, accepting texts of up to 10,000 characters.
/// </summary>
public sealed class SingleWorkerServerFixture : IAsyncLifetime
{
    private readonly PostgresFixture _postgres = new();

    /// <summary>The running server.</summary>
    public ServerProcess Server { get; private set; } = null!;

    /// <summary>The server's database.</summary>
    public ServerStore Store { get; private set; } = null!;

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        await _postgres.InitializeAsync();
        Store = ServerStore.ForPostgres(_postgres.ConnectionString);
        Server = await ServerProcess.StartAsync(new Dictionary<string, string?>(ServerProcess.Unthrottled)
        {
            ["CALLWAITING_DB"] = _postgres.ConnectionString,
            ["CALLWAITING_Speech__Workers"] = "1",
            ["CALLWAITING_Speech__QueueCapacity"] = "1",
            ["CALLWAITING_Api__MaxTextLength"] = "10000",
        });
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (Server is not null) await Server.DisposeAsync();
        if (Store is not null) await Store.DisposeAsync();
        await _postgres.DisposeAsync();
    }
}
