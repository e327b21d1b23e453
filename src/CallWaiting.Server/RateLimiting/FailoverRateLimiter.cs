using System.Diagnostics;
using CallWaiting.Server.Configuration;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace CallWaiting.Server.RateLimiting;

/// <summary>Counts in Redis, and in process while Redis is unreachable or slow, so that no request fails because of Redis.</summary>
/// <remarks>
/// The first failed or timed-out Redis check flips this limiter to local mode: that request and the following ones are
/// decided by the <see cref="LocalRateLimiter"/> without touching Redis, and one warning is logged. A single background
/// probe PINGs Redis with exponential backoff and flips back when it answers (the multiplexer reconnects by itself).
/// While local, each replica counts on its own, so N replicas admit up to N times a limit; the outage is visible
/// through rate_limiter_redis_up and rate_limiter_fallback_total. A check that timed out may still be counted by
/// Redis later, which errs towards refusing, never towards exceeding the limit.
/// </remarks>
public sealed partial class FailoverRateLimiter : IRateLimiter, IDisposable
{
    private readonly RedisRateLimiter _redis;
    private readonly LocalRateLimiter _local;
    private readonly RateLimitMetrics _metrics;
    private readonly FailoverRateLimiterOptions _options;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _disposed = new();
    private readonly CancellationToken _stop;
    private int _redisDown;

    /// <summary>Creates a limiter preferring <paramref name="redis"/> and falling back to <paramref name="local"/>.</summary>
    public FailoverRateLimiter(RedisRateLimiter redis, LocalRateLimiter local, RateLimitMetrics metrics, ILogger<FailoverRateLimiter> logger, FailoverRateLimiterOptions? options = null)
    {
        _redis = redis ?? throw new ArgumentNullException(nameof(redis));
        _local = local ?? throw new ArgumentNullException(nameof(local));
        _metrics = metrics ?? throw new ArgumentNullException(nameof(metrics));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _options = (options ?? new FailoverRateLimiterOptions()).ThrowIfInvalid(nameof(options));
        _stop = _disposed.Token;
        _metrics.RedisUp.Set(1);
    }

    /// <summary>Whether checks currently go to Redis.</summary>
    public bool UsingRedis => Volatile.Read(ref _redisDown) == 0;

    /// <inheritdoc />
    public ValueTask<RateLimitDecision> AcquireAsync(RateLimitPolicy policy, string subject, CancellationToken cancellationToken = default) =>
        DecideAsync(policy, subject, consume: true, cancellationToken);

    /// <inheritdoc />
    public ValueTask<RateLimitDecision> PeekAsync(RateLimitPolicy policy, string subject, CancellationToken cancellationToken = default) =>
        DecideAsync(policy, subject, consume: false, cancellationToken);

    /// <inheritdoc />
    public void Dispose()
    {
        _disposed.Cancel();
        _disposed.Dispose();
    }

    private async ValueTask<RateLimitDecision> DecideAsync(RateLimitPolicy policy, string subject, bool consume, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(policy);
        RateLimitPolicy.ValidateSubject(subject);
        if (UsingRedis)
        {
            try
            {
                var pending = consume ? _redis.AcquireAsync(policy, subject, cancellationToken) : _redis.PeekAsync(policy, subject, cancellationToken);
                return await pending.AsTask().WaitAsync(_options.RedisTimeout, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (IsRedisFailure(ex, cancellationToken))
            {
                EnterFallback(ex);
            }
        }

        _metrics.FallbackTotal.Inc();
        return consume
            ? await _local.AcquireAsync(policy, subject, cancellationToken).ConfigureAwait(false)
            : await _local.PeekAsync(policy, subject, cancellationToken).ConfigureAwait(false);
    }

    private static bool IsRedisFailure(Exception ex, CancellationToken cancellationToken) =>
        ex is RedisException or TimeoutException or ObjectDisposedException
        || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested);

    private void EnterFallback(Exception cause)
    {
        if (Interlocked.CompareExchange(ref _redisDown, 1, 0) != 0)
        {
            return; // Already local; the outage was logged once and a probe is running.
        }

        _metrics.RedisUp.Set(0);
        LogRedisDown(_logger, cause.GetType().Name, cause.Message);
        _ = Task.Run(ProbeUntilRecoveredAsync);
    }

    private async Task ProbeUntilRecoveredAsync()
    {
        var started = Stopwatch.GetTimestamp();
        var delay = _options.ProbeInitialDelay;
        var stop = _stop;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(delay, stop).ConfigureAwait(false);
                await _redis.PingAsync().WaitAsync(_options.RedisTimeout, stop).ConfigureAwait(false);
                // A restarted Redis has lost its scripts: load ours before switching back, or the first decision pays a
                // NOSCRIPT round trip and a load, which on a busy machine outlasts the timeout and is decided locally again.
                await _redis.LoadScriptAsync().WaitAsync(_options.RedisTimeout, stop).ConfigureAwait(false);
                // The gauge and the log first: whoever sees Redis in use again then also sees them.
                _metrics.RedisUp.Set(1);
                LogRedisRecovered(_logger, Stopwatch.GetElapsedTime(started).TotalSeconds);
                Volatile.Write(ref _redisDown, 0);
                return;
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception)
            {
                // Still down: back off so a dead Redis isn't hammered by every replica.
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.ProbeMaxDelay.Ticks));
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis rate limiting unavailable ({ExceptionType}: {Reason}); counting in process until it answers again")]
    private static partial void LogRedisDown(ILogger logger, string exceptionType, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Redis rate limiting restored after {OutageSeconds:F1} s")]
    private static partial void LogRedisRecovered(ILogger logger, double outageSeconds);
}
