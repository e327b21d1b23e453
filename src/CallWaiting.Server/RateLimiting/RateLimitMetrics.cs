using Prometheus;

namespace CallWaiting.Server.RateLimiting;

/// <summary>The rate limiter's Prometheus metrics.</summary>
public sealed class RateLimitMetrics
{
    /// <summary>Registers (or reuses) the metrics in <paramref name="factory"/>'s registry; the default registry when null.</summary>
    public RateLimitMetrics(IMetricFactory? factory = null)
    {
        factory ??= Metrics.DefaultFactory;
        FallbackTotal = factory.CreateCounter(
            "rate_limiter_fallback_total",
            "Rate-limit checks decided by the in-process limiter because Redis was unreachable or too slow.");
        RedisUp = factory.CreateGauge(
            "rate_limiter_redis_up",
            "1 while rate limits are counted in Redis, 0 while this replica falls back to in-process counters.");
        ApiKeyLimitExceeded = factory.CreateCounter(
            "api_key_rate_limit_exceeded_total",
            "Requests refused by a per-API-key rate limit, by the refusing window.",
            ["window"]);
        OtherLimitExceeded = factory.CreateCounter(
            "rate_limit_exceeded_total",
            "Requests refused by a rate limit other than the per-key one (per IP, failed authentications).",
            ["policy"]);
    }

    /// <summary>rate_limiter_fallback_total.</summary>
    public Counter FallbackTotal { get; }

    /// <summary>rate_limiter_redis_up.</summary>
    public Gauge RedisUp { get; }

    /// <summary>api_key_rate_limit_exceeded_total{window}.</summary>
    public Counter ApiKeyLimitExceeded { get; }

    /// <summary>rate_limit_exceeded_total{policy}.</summary>
    public Counter OtherLimitExceeded { get; }

    /// <summary>Counts <paramref name="decision"/> when it is a refusal.</summary>
    public void Observe(RateLimitPolicy policy, in RateLimitDecision decision)
    {
        if (decision.Allowed)
        {
            return;
        }

        if (policy.Name == RateLimitOptions.ApiKeyPolicyName)
        {
            ApiKeyLimitExceeded.WithLabels(decision.Window.PeriodDescription).Inc();
        }
        else
        {
            OtherLimitExceeded.WithLabels(policy.Name).Inc();
        }
    }
}
