using CallWaiting.Server.Configuration;

namespace CallWaiting.Server.RateLimiting;

/// <summary>Timing of <see cref="FailoverRateLimiter"/>: how long to wait on Redis and how often to probe it while it is away.</summary>
public sealed class FailoverRateLimiterOptions : IValidatedOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "RateLimits:Failover";

    /// <summary>How long one Redis check may take before the request is decided locally.</summary>
    /// <remarks>
    /// A busy replica (scrypt, synthesis) can answer a healthy Redis late; one second keeps such hiccups from splitting
    /// the shared count into per-replica counts, while a Redis that is really gone still fails over quickly.
    /// </remarks>
    public TimeSpan RedisTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The first pause before probing Redis after it failed; doubled after each failed probe.</summary>
    public TimeSpan ProbeInitialDelay { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>The longest pause between probes.</summary>
    public TimeSpan ProbeMaxDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <inheritdoc />
    public IEnumerable<string> Problems()
    {
        if (RedisTimeout <= TimeSpan.Zero) yield return "RateLimits:Failover:RedisTimeout must be positive.";
        if (ProbeInitialDelay <= TimeSpan.Zero) yield return "RateLimits:Failover:ProbeInitialDelay must be positive.";
        if (ProbeMaxDelay < ProbeInitialDelay) yield return "RateLimits:Failover:ProbeMaxDelay must not be below ProbeInitialDelay.";
    }
}
