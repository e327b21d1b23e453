using Microsoft.Extensions.Hosting;
using StackExchange.Redis;

namespace CallWaiting.Server.Redis;

/// <summary>
/// The process's one Redis connection (a multiplexer), shared by the rate limiter, the revocation bus and caches. In the
/// server it connects as the first hosted service, not while services are registered, so building the app needs no Redis.
/// </summary>
public sealed class RedisConnection(RedisConnectionOptions options) : IHostedService, IAsyncDisposable
{
    private IConnectionMultiplexer? _multiplexer;
    private IDatabase? _database;

    /// <summary>The underlying multiplexer; it reconnects by itself after Redis comes back.</summary>
    public IConnectionMultiplexer Multiplexer => _multiplexer ?? throw NotStarted();

    /// <summary>The default database.</summary>
    public IDatabase Database => _database ?? throw NotStarted();

    /// <summary>Whether some Redis server is connected now.</summary>
    public bool IsConnected => _multiplexer?.IsConnected == true;

    /// <summary>Connects; returns even when Redis is unreachable (the multiplexer keeps trying in the background).</summary>
    public static async Task<RedisConnection> ConnectAsync(RedisConnectionOptions options, TextWriter? log = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var connection = new RedisConnection(options);
        await connection.OpenAsync(log).ConfigureAwait(false);
        return connection;
    }

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken) => OpenAsync(null);

    /// <inheritdoc />
    /// <remarks>The connection stays open for the services that stop after it; the container disposes it last.</remarks>
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _multiplexer, null) is not { } multiplexer) return;
        await multiplexer.CloseAsync(allowCommandsToComplete: false).ConfigureAwait(false);
        multiplexer.Dispose();
    }

    private async Task OpenAsync(TextWriter? log)
    {
        if (_multiplexer is not null) return;
        var multiplexer = await ConnectionMultiplexer.ConnectAsync(options.ToConfigurationOptions(), log).ConfigureAwait(false);
        _database = multiplexer.GetDatabase();
        _multiplexer = multiplexer;
    }

    private static InvalidOperationException NotStarted() => new("Redis is not connected yet: RedisConnection connects when the host starts.");
}
