using CallWaiting.Server.Redis;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace CallWaiting.Server.Revocation;

/// <summary>Key-change broadcast across replicas over Redis pub/sub on channel <c>cw:keys:changed</c>.</summary>
/// <remarks>
/// Every replica subscribes; a publisher also runs its own handlers at once, so its cache is correct even when Redis
/// is down (its echo from Redis then arrives as a harmless second invalidation). Messages published while a replica
/// is disconnected are lost to it, so <see cref="Generation"/> moves on every connection failure and every restore:
/// a cache that stamps its entries with the generation drops everything that might have missed a revocation, and
/// its TTL bounds the rest. The multiplexer re-subscribes by itself after reconnecting.
/// </remarks>
public sealed partial class RedisKeyRevocationBus : IKeyRevocationBus, IAsyncDisposable
{
    /// <summary>The pub/sub channel.</summary>
    public static readonly RedisChannel Channel = RedisChannel.Literal("cw:keys:changed");

    private readonly IConnectionMultiplexer _multiplexer;
    private readonly ISubscriber _subscriber;
    private readonly ILogger _logger;
    private readonly Action<RedisChannel, RedisValue> _onMessage;
    private long _generation;
    private int _subscribed;
    private int _subscribing;
    private int _disposed;

    private RedisKeyRevocationBus(RedisConnection connection, ILogger logger)
    {
        _multiplexer = connection.Multiplexer;
        _subscriber = _multiplexer.GetSubscriber();
        _logger = logger;
        _onMessage = OnMessage;
    }

    /// <inheritdoc />
    public event Action<Guid>? KeyChanged;

    /// <inheritdoc />
    public long Generation => Volatile.Read(ref _generation);

    /// <summary>Subscribes over <paramref name="connection"/> (not owned). When Redis is unreachable it still returns, and subscribes once the connection is restored.</summary>
    public static async Task<RedisKeyRevocationBus> StartAsync(RedisConnection connection, ILogger<RedisKeyRevocationBus>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var bus = new RedisKeyRevocationBus(connection, logger ?? (ILogger)NullLogger.Instance);
        bus._multiplexer.ConnectionFailed += bus.OnConnectionFailed;
        bus._multiplexer.ConnectionRestored += bus.OnConnectionRestored;
        await bus.SubscribeAsync(retry: false).ConfigureAwait(false);
        return bus;
    }

    /// <inheritdoc />
    /// <exception cref="RedisException">Redis did not take the message; other replicas then rely on their cache TTL.</exception>
    public async Task PublishAsync(Guid apiKeyId, string newStatus, CancellationToken cancellationToken = default)
    {
        var message = KeyChangeMessage.Format(apiKeyId, newStatus);
        cancellationToken.ThrowIfCancellationRequested();
        KeyChangedHandlers.Invoke(KeyChanged, apiKeyId, _logger);
        await _subscriber.PublishAsync(Channel, message).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _multiplexer.ConnectionFailed -= OnConnectionFailed;
        _multiplexer.ConnectionRestored -= OnConnectionRestored;
        try
        {
            await _subscriber.UnsubscribeAsync(Channel, _onMessage).ConfigureAwait(false);
        }
        catch (RedisException)
        {
            // Disconnected: the server forgets the subscription with the connection anyway.
        }
    }

    private async Task SubscribeAsync(bool retry)
    {
        if (Interlocked.Exchange(ref _subscribing, 1) == 1)
        {
            return; // Another attempt is under way (several connections can report "restored" at once).
        }

        try
        {
            if (retry)
            {
                // Drop a registration the failed attempt may have left, so the handler never runs twice per message.
                await _subscriber.UnsubscribeAsync(Channel, _onMessage).ConfigureAwait(false);
            }

            await _subscriber.SubscribeAsync(Channel, _onMessage).ConfigureAwait(false);
            Volatile.Write(ref _subscribed, 1);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            LogSubscribeFailed(_logger, ex.Message);
        }
        finally
        {
            Volatile.Write(ref _subscribing, 0);
        }
    }

    private void OnConnectionFailed(object? sender, ConnectionFailedEventArgs e) => Interlocked.Increment(ref _generation);

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e)
    {
        Interlocked.Increment(ref _generation);
        // StackExchange.Redis restores subscriptions itself, but its resubscribe can go out while a restarted server is
        // not yet serving and is then not retried; so the bus renews its own whenever the subscription connection returns.
        var renew = e.ConnectionType == ConnectionType.Subscription || Volatile.Read(ref _subscribed) == 0;
        if (renew && Volatile.Read(ref _disposed) == 0)
        {
            _ = SubscribeAsync(retry: true);
        }
    }

    private void OnMessage(RedisChannel channel, RedisValue value)
    {
        if (!KeyChangeMessage.TryParse(value, out var apiKeyId, out _))
        {
            LogMalformed(_logger, value.ToString());
            return;
        }

        KeyChangedHandlers.Invoke(KeyChanged, apiKeyId, _logger);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not subscribe to key changes yet ({Reason}); retrying when Redis reconnects, cache TTL bounds staleness meanwhile")]
    private static partial void LogSubscribeFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ignored a malformed key-change message: {Message}")]
    private static partial void LogMalformed(ILogger logger, string message);
}
