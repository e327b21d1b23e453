namespace CallWaiting.Server.RateLimiting;

/// <summary>Timing of <see cref="FailoverRateLimiter"/>: how long to wait on Redis and how often to probe it while it is away.</summary>
public sealed class FailoverRateLimiterOptions
{
    /// <summary>How long one Redis check may take before the request is decided locally.</summary>
    public TimeSpan RedisTimeout { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>The first pause before probing Redis after it failed; doubled after each failed probe.</summary>
    public TimeSpan ProbeInitialDelay { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>The longest pause between probes.</summary>
    public TimeSpan ProbeMaxDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> for a non-positive time or a maximum below the initial delay.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(RedisTimeout, TimeSpan.Zero, nameof(RedisTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ProbeInitialDelay, TimeSpan.Zero, nameof(ProbeInitialDelay));
        ArgumentOutOfRangeException.ThrowIfLessThan(ProbeMaxDelay, ProbeInitialDelay, nameof(ProbeMaxDelay));
    }
}
