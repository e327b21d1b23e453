using StackExchange.Redis;

namespace CallWaiting.Server.Redis;

/// <summary>The process's one Redis connection (a multiplexer), shared by the rate limiter, the revocation bus and caches.</summary>
public sealed class RedisConnection : IAsyncDisposable
{
    private RedisConnection(IConnectionMultiplexer multiplexer)
    {
        Multiplexer = multiplexer;
        Database = multiplexer.GetDatabase();
    }

    /// <summary>The underlying multiplexer; it reconnects by itself after Redis comes back.</summary>
    public IConnectionMultiplexer Multiplexer { get; }

    /// <summary>The default database.</summary>
    public IDatabase Database { get; }

    /// <summary>Whether some Redis server is connected now.</summary>
    public bool IsConnected => Multiplexer.IsConnected;

    /// <summary>Connects; returns even when Redis is unreachable (the multiplexer keeps trying in the background).</summary>
    public static async Task<RedisConnection> ConnectAsync(RedisConnectionOptions options, TextWriter? log = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var multiplexer = await ConnectionMultiplexer.ConnectAsync(options.ToConfigurationOptions(), log).ConfigureAwait(false);
        return new RedisConnection(multiplexer);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await Multiplexer.CloseAsync(allowCommandsToComplete: false).ConfigureAwait(false);
        Multiplexer.Dispose();
    }
}
