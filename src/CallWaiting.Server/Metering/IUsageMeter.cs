using CallWaiting.Server.Storage;

namespace CallWaiting.Server.Metering;

/// <summary>The request path's view of metering: hand over usage and request logs without waiting for the database.</summary>
public interface IUsageMeter
{
    /// <summary>Queues one request's usage; O(1), never blocks and never throws.</summary>
    void Record(UsageEvent usage);

    /// <summary>Queues one request log row; O(1), never blocks and never throws.</summary>
    void Log(RequestLogEntry entry);
}
