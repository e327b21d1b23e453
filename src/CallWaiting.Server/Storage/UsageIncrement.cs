namespace CallWaiting.Server.Storage;

/// <summary>Amounts to add to one key's counters for one UTC day.</summary>
/// <param name="Day">UTC calendar day.</param>
/// <param name="ApiKeyId">The key that was charged.</param>
/// <param name="TenantId">The key's tenant.</param>
/// <param name="Requests">Requests to add.</param>
/// <param name="Characters">Synthesized characters to add.</param>
/// <param name="AudioSeconds">Audio seconds produced.</param>
/// <param name="MsSynth">Synthesis milliseconds.</param>
/// <param name="Errors">Failed requests to add.</param>
/// <param name="CachedRequests">Requests served from the audio cache.</param>
public sealed record UsageIncrement(
    DateOnly Day,
    Guid ApiKeyId,
    Guid TenantId,
    long Requests,
    long Characters,
    double AudioSeconds,
    long MsSynth,
    long Errors,
    long CachedRequests);
