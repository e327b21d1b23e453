using System.Text.Json.Serialization;

namespace CallWaiting.Server.Admin;

/// <summary>One row of GET /v1/admin/usage (and one line of its CSV).</summary>
/// <param name="Day">UTC day, YYYY-MM-DD, when grouped by day.</param>
/// <param name="TenantId">Tenant, when grouped by tenant or key (null in such a row: requests that carried no valid key).</param>
/// <param name="TenantName">The tenant's name.</param>
/// <param name="ApiKeyId">Key, when grouped by key.</param>
/// <param name="ApiKeyName">The key's name.</param>
/// <param name="ApiKeyPrefix">The key's public prefix.</param>
/// <param name="Requests">Logged /v1 requests.</param>
/// <param name="Characters">Characters charged.</param>
/// <param name="AudioSeconds">Seconds of audio charged, rounded to 0.001.</param>
/// <param name="Errors">Requests answered with a status of 400 or more.</param>
/// <param name="ErrorRate">Errors ÷ requests (0 without requests), rounded to 0.0001.</param>
/// <param name="P50Ms">Median latency in milliseconds (nearest rank), null without requests.</param>
/// <param name="P95Ms">95th percentile latency.</param>
/// <param name="P99Ms">99th percentile latency.</param>
public sealed record AdminUsageRow(
    [property: JsonPropertyName("day"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Day,
    [property: JsonPropertyName("tenant_id"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Guid? TenantId,
    [property: JsonPropertyName("tenant_name"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? TenantName,
    [property: JsonPropertyName("api_key_id"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Guid? ApiKeyId,
    [property: JsonPropertyName("api_key_name"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ApiKeyName,
    [property: JsonPropertyName("api_key_prefix"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ApiKeyPrefix,
    [property: JsonPropertyName("requests")] long Requests,
    [property: JsonPropertyName("characters")] long Characters,
    [property: JsonPropertyName("audio_seconds")] double AudioSeconds,
    [property: JsonPropertyName("errors")] long Errors,
    [property: JsonPropertyName("error_rate")] double ErrorRate,
    [property: JsonPropertyName("p50_ms")] double? P50Ms,
    [property: JsonPropertyName("p95_ms")] double? P95Ms,
    [property: JsonPropertyName("p99_ms")] double? P99Ms);
