using CallWaiting.Server.ApiKeys;
using CallWaiting.Server.Storage;

namespace CallWaiting.Server.Usage;

/// <summary>The API's seam to metering: what one request cost and what it did, handed over without waiting.</summary>
public interface IApiMeter
{
    /// <summary>Charges one synthesis to <paramref name="key"/>.</summary>
    void RecordSynthesis(ApiKey key, DateTimeOffset at, int characters, double audioSeconds, long synthesisMilliseconds);

    /// <summary>Queues one request_logs row.</summary>
    void Log(RequestLogEntry entry);
}
