using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace CallWaiting.Server.Realtime;

/// <summary>
/// The utterance queue between the reader and synthesis, and the barge-in generation. It is bounded: when it is full,
/// <see cref="EnqueueAsync"/> waits, so the reader stops reading and a client that outpaces synthesis meets TCP
/// back-pressure instead of growing a buffer. <see cref="Clear"/> starts a new generation: queued entries of the old one
/// are skipped and the utterance being synthesized is cancelled. One reader (synthesis), one writer (the reader loop).
/// </summary>
internal sealed class UtteranceQueue
{
    private readonly Lock _gate = new();
    private readonly Channel<SynthesisWork> _work;
    private long _generation;
    private CancellationTokenSource? _current;

    /// <summary>A queue that holds up to <paramref name="capacity"/> entries.</summary>
    public UtteranceQueue(int capacity)
    {
        _work = Channel.CreateBounded<SynthesisWork>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            SingleWriter = false, // the reader writes; a closing session completes it from another thread
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    /// <summary>The barge-in generation new entries and messages belong to.</summary>
    public long Generation => Volatile.Read(ref _generation);

    /// <summary>Whether an utterance is being synthesized now.</summary>
    public bool Busy
    {
        get
        {
            lock (_gate) return _current is not null;
        }
    }

    /// <summary>Queues an entry; waits while the queue is full (this is where back-pressure starts).</summary>
    public ValueTask EnqueueAsync(SynthesisWork work, CancellationToken cancellationToken) => _work.Writer.WriteAsync(work, cancellationToken);

    /// <summary>No more entries: reading ends once the queued ones are taken. Later calls do nothing.</summary>
    public void Complete() => _work.Writer.TryComplete();

    /// <summary>The queued entries of the current generation, in order; entries a barge-in cleared are skipped.</summary>
    public async IAsyncEnumerable<SynthesisWork> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var work in _work.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            if (work.Generation == Generation) yield return work;
        }
    }

    /// <summary>
    /// Starts <paramref name="utterance"/>: the token that a barge-in (or <paramref name="stop"/>) cancels, to hand back to
    /// <see cref="Finish"/>; null when it was cleared meanwhile.
    /// </summary>
    public CancellationTokenSource? Start(Utterance utterance, CancellationToken stop)
    {
        lock (_gate)
        {
            if (utterance.Generation != _generation) return null;
            return _current = CancellationTokenSource.CreateLinkedTokenSource(stop);
        }
    }

    /// <summary>Ends the utterance <see cref="Start"/> began.</summary>
    public void Finish(CancellationTokenSource current)
    {
        lock (_gate) _current = null;
        current.Dispose(); // after the lock: a barge-in can no longer cancel it
    }

    /// <summary>Barge-in: a new generation, and the running utterance cancelled; returns the new generation.</summary>
    public long Clear()
    {
        lock (_gate)
        {
            var generation = Interlocked.Increment(ref _generation);
            _current?.Cancel();
            return generation;
        }
    }
}
