namespace CallWaiting.Server.Metering;

/// <summary>Durable destination of metering batches.</summary>
public interface IMeteringStore
{
    /// <summary>
    /// Writes a batch atomically and at most once: true when this call committed it, false when an earlier
    /// call already had (a retry after a lost acknowledgement). Throws when the outcome is a failure or unknown.
    /// </summary>
    Task<bool> WriteAsync(MeteringBatch batch, CancellationToken cancellationToken = default);
}
