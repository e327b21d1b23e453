namespace CallWaiting.Server.Admin;

/// <summary>One group's raw figures for a usage report, before names and rates are added.</summary>
/// <param name="Day">UTC day (YYYY-MM-DD) when grouped by day.</param>
/// <param name="TenantId">Tenant when grouped by tenant or key (null: requests without a key).</param>
/// <param name="ApiKeyId">Key when grouped by key.</param>
/// <param name="Requests">Logged /v1 requests.</param>
/// <param name="Errors">Logged requests answered with a status of 400 or more.</param>
/// <param name="P50Ms">Median request latency (nearest rank), null without logged requests.</param>
/// <param name="P95Ms">95th percentile latency.</param>
/// <param name="P99Ms">99th percentile latency.</param>
/// <param name="Characters">Characters charged (metered).</param>
/// <param name="AudioSeconds">Seconds of audio charged (metered).</param>
public sealed record UsageFigures(string? Day, Guid? TenantId, Guid? ApiKeyId, long Requests, long Errors,
    double? P50Ms, double? P95Ms, double? P99Ms, long Characters, double AudioSeconds)
{
    /// <summary>A group with no traffic.</summary>
    public static UsageFigures Empty(string? day, Guid? tenantId, Guid? apiKeyId) => new(day, tenantId, apiKeyId, 0, 0, null, null, null, 0, 0);
}
