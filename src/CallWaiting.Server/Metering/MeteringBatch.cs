using CallWaiting.Server.Storage;

namespace CallWaiting.Server.Metering;

/// <summary>
/// One unit of metering work, written in a single transaction exactly once: the id is recorded with the rows,
/// so writing the same batch again is a no-op.
/// </summary>
public sealed class MeteringBatch
{
    /// <summary>Creates a batch; <paramref name="usage"/> holds at most one increment per (day, key).</summary>
    /// <param name="id">Unique id of the batch (its write-once token).</param>
    /// <param name="usage">Usage increments, already summed per (day, key).</param>
    /// <param name="logs">Request log rows.</param>
    /// <param name="usageEventCount">How many usage events the increments sum up.</param>
    public MeteringBatch(Guid id, IReadOnlyList<UsageIncrement> usage, IReadOnlyList<RequestLogEntry> logs, long usageEventCount)
    {
        ArgumentNullException.ThrowIfNull(usage);
        ArgumentNullException.ThrowIfNull(logs);
        ArgumentOutOfRangeException.ThrowIfNegative(usageEventCount);
        if (id == Guid.Empty)
        {
            throw new ArgumentException("A batch needs a unique id.", nameof(id));
        }

        Id = id;
        Usage = usage;
        Logs = logs;
        UsageEventCount = usageEventCount;
    }

    /// <summary>Unique id of the batch (its write-once token).</summary>
    public Guid Id { get; }

    /// <summary>Usage increments, at most one per (day, key).</summary>
    public IReadOnlyList<UsageIncrement> Usage { get; }

    /// <summary>Request log rows.</summary>
    public IReadOnlyList<RequestLogEntry> Logs { get; }

    /// <summary>How many usage events the increments sum up.</summary>
    public long UsageEventCount { get; }
}
