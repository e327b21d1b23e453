namespace CallWaiting.Server.Usage;

/// <summary>One day of GET /v1/usage.</summary>
/// <param name="Day">UTC day as YYYY-MM-DD.</param>
/// <param name="Requests">Synthesis requests that day.</param>
/// <param name="Characters">Characters synthesized.</param>
/// <param name="AvgLatencyMs">Mean synthesis time per request in milliseconds.</param>
public sealed record UsageDayResponse(string Day, long Requests, long Characters, double AvgLatencyMs);
