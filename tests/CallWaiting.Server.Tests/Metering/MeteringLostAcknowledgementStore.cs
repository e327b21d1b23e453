using CallWaiting.Server.Metering;

namespace CallWaiting.Server.Tests.Metering;

/// <summary>
/// A real store whose first write of every other batch commits and then reports a failure, as when the
/// connection drops between COMMIT and its acknowledgement.
/// </summary>
internal sealed class MeteringLostAcknowledgementStore(IMeteringStore inner) : IMeteringStore
{
    private readonly HashSet<Guid> _seen = [];
    private int _batches;

    public int AcknowledgementsLost { get; private set; }

    public async Task<bool> WriteAsync(MeteringBatch batch, CancellationToken cancellationToken = default)
    {
        var committed = await inner.WriteAsync(batch, cancellationToken);
        if (_seen.Add(batch.Id) && _batches++ % 2 == 0)
        {
            AcknowledgementsLost++;
            throw new IOException("Connection reset after COMMIT was sent.");
        }

        return committed;
    }
}
