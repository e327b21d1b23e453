using System.Text.Json.Serialization;

namespace CallWaiting.Server.Metering;

/// <summary>One day of GET /v1/usage, serialized with the seed's snake_case names.</summary>
/// <param name="Day">UTC calendar day, "YYYY-MM-DD".</param>
/// <param name="Requests">Requests that day.</param>
/// <param name="Characters">Characters charged.</param>
/// <param name="AvgLatencyMs">Synthesis milliseconds per request, rounded to 0.01.</param>
/// <param name="AudioSeconds">Seconds of audio produced, rounded to 0.001 (an addition to the seed's shape).</param>
public sealed record UsageReportRow(
    [property: JsonPropertyName("day")] string Day,
    [property: JsonPropertyName("requests")] long Requests,
    [property: JsonPropertyName("characters")] long Characters,
    [property: JsonPropertyName("avg_latency_ms")] double AvgLatencyMs,
    [property: JsonPropertyName("audio_seconds")] double AudioSeconds);
