namespace CallWaiting.Server.Tests.Infrastructure;

/// <summary>
/// One real server per test class on its own PostgreSQL database and the shared test Redis, plus direct access to
/// that database. Per-IP and per-prefix failure limits are raised so a class's many requests from 127.0.0.1 are not throttled.
/// </summary>
public class ServerFixture : IAsyncLifetime
{
    private readonly PostgresFixture _postgres = new();
    private readonly RedisFixture _redis = new();

    /// <summary>The running server.</summary>
    public ServerProcess Server { get; private set; } = null!;

    /// <summary>The server's database.</summary>
    public ServerStore Store { get; private set; } = null!;

    /// <summary>The database's connection string.</summary>
    public string Database => _postgres.ConnectionString;

    /// <summary>The Redis "host:port".</summary>
    public string Redis => _redis.Endpoint;

    /// <summary>The Redis test fixture (admin connection, server clock).</summary>
    public RedisFixture RedisFixture => _redis;

    /// <summary>Environment for a server (or CLI) on this fixture's database and Redis.</summary>
    public Dictionary<string, string?> Environment(params (string Name, string? Value)[] extra)
    {
        var env = new Dictionary<string, string?>(ServerProcess.Unthrottled)
        {
            ["CALLWAITING_DB"] = Database,
            ["CALLWAITING_REDIS"] = Redis,
            ["CALLWAITING_Speech__QueueCapacity"] = "64",
        };
        foreach (var (name, value) in extra) env[name] = value;
        return env;
    }

    /// <inheritdoc />
    public virtual async Task InitializeAsync()
    {
        await _postgres.InitializeAsync();
        await _redis.InitializeAsync();
        Server = await ServerProcess.StartAsync(Environment());
        Store = ServerStore.ForPostgres(Database);
    }

    /// <inheritdoc />
    public virtual async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        await Store.DisposeAsync();
        await _redis.DisposeAsync();
        await _postgres.DisposeAsync();
    }
}
