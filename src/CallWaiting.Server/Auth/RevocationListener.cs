using CallWaiting.Server.ApiKeys;
using CallWaiting.Server.Redis;
using CallWaiting.Server.Revocation;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace CallWaiting.Server.Auth;

/// <summary>
/// Subscribes this replica to key-status broadcasts (Redis pub/sub, when Redis is configured) and applies them to
/// the verification cache: a changed key is dropped at once, and the whole cache is dropped whenever the Redis
/// link fails or returns, since broadcasts may have been missed meanwhile. With or without Redis, the database's
/// key-change feed (<see cref="KeyChangePoller"/>) reaches every server within about a second as well.
/// </summary>
public sealed class RevocationListener(ApiKeyVerifier verifier, ApiKeyVerificationCache cache, ILoggerFactory loggers, RedisConnection? redis = null)
    : IHostedService, IAsyncDisposable
{
    private RedisKeyRevocationBus? _bus;

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (redis is null) return;
        redis.Multiplexer.ConnectionFailed += OnLinkChanged;
        redis.Multiplexer.ConnectionRestored += OnLinkChanged;
        _bus = await RedisKeyRevocationBus.StartAsync(redis, loggers.CreateLogger<RedisKeyRevocationBus>());
        _bus.KeyChanged += verifier.Invalidate;
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken) => await DisposeAsync();

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (redis is not null)
        {
            redis.Multiplexer.ConnectionFailed -= OnLinkChanged;
            redis.Multiplexer.ConnectionRestored -= OnLinkChanged;
        }

        if (Interlocked.Exchange(ref _bus, null) is { } bus)
        {
            bus.KeyChanged -= verifier.Invalidate;
            await bus.DisposeAsync();
        }
    }

    private void OnLinkChanged(object? sender, ConnectionFailedEventArgs e) => cache.Clear();
}
