namespace CallWaiting.Server.RateLimiting;

/// <summary>Counts the refusals of an inner limiter's acquires in <see cref="RateLimitMetrics"/> (peeks are not counted).</summary>
public sealed class MeteredRateLimiter : IRateLimiter
{
    private readonly IRateLimiter _inner;
    private readonly RateLimitMetrics _metrics;

    /// <summary>Wraps <paramref name="inner"/>.</summary>
    public MeteredRateLimiter(IRateLimiter inner, RateLimitMetrics metrics)
    {
        _inner = inner ?? throw new ArgumentNullException(nameof(inner));
        _metrics = metrics ?? throw new ArgumentNullException(nameof(metrics));
    }

    /// <inheritdoc />
    public async ValueTask<RateLimitDecision> AcquireAsync(RateLimitPolicy policy, string subject, CancellationToken cancellationToken = default)
    {
        var decision = await _inner.AcquireAsync(policy, subject, cancellationToken).ConfigureAwait(false);
        _metrics.Observe(policy, decision);
        return decision;
    }

    /// <inheritdoc />
    public ValueTask<RateLimitDecision> PeekAsync(RateLimitPolicy policy, string subject, CancellationToken cancellationToken = default) =>
        _inner.PeekAsync(policy, subject, cancellationToken);
}
