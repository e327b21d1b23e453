using CallWaiting.Server.ApiKeys;
using CallWaiting.Server.Metering;
using CallWaiting.Server.Storage;

namespace CallWaiting.Server.Usage;

/// <summary>The API's meter over the batched <see cref="IUsageMeter"/>: one usage event per synthesis, one log row per request.</summary>
public sealed class MeteringApiMeter(IUsageMeter meter) : IApiMeter
{
    /// <inheritdoc />
    public void RecordSynthesis(ApiKey key, DateTimeOffset at, int characters, double audioSeconds, long synthesisMilliseconds) =>
        meter.Record(new UsageEvent(key.Id, key.TenantId, at, characters,
            double.IsFinite(audioSeconds) ? Math.Max(0, audioSeconds) : 0, Math.Max(0, synthesisMilliseconds)));

    /// <inheritdoc />
    public void Log(RequestLogEntry entry) => meter.Log(entry);
}
