using CallWaiting.Server.Storage;

namespace CallWaiting.Server.Metering;

/// <summary>One queued unit of metering work: a usage event, or a request log row when <see cref="Log"/> is set.</summary>
internal readonly struct MeteringItem
{
    public MeteringItem(UsageEvent usage)
    {
        Usage = usage;
        Log = null;
    }

    public MeteringItem(RequestLogEntry log)
    {
        Usage = default;
        Log = log;
    }

    public UsageEvent Usage { get; }

    public RequestLogEntry? Log { get; }
}
