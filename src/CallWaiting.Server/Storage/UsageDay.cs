namespace CallWaiting.Server.Storage;

/// <summary>One day of usage as GET /v1/usage reports it.</summary>
/// <param name="Day">UTC calendar day.</param>
/// <param name="Requests">Requests that day.</param>
/// <param name="Characters">Characters synthesized.</param>
/// <param name="AvgLatencyMs">Synthesis milliseconds per request (0 without requests).</param>
/// <param name="AudioSeconds">Audio seconds produced.</param>
public sealed record UsageDay(DateOnly Day, long Requests, long Characters, double AvgLatencyMs, double AudioSeconds);
