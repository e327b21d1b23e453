namespace CallWaiting.Server.Realtime;

/// <summary>
/// Counts synthesized samples not yet sent, so synthesis can wait for a slow client (or for real-time pacing) before it
/// starts another utterance. One utterance always runs to its end without waiting, which frees its engine worker at
/// synthesis speed; the backlog is therefore bounded by the limit plus one utterance. One waiter at a time.
/// </summary>
internal sealed class AudioBacklog
{
    private readonly Lock _gate = new();
    private long _pending;
    private long _waiterLimit;
    private TaskCompletionSource? _waiter;

    /// <summary>Samples queued and not yet sent.</summary>
    public long Pending
    {
        get
        {
            lock (_gate) return _pending;
        }
    }

    /// <summary>Notes samples queued for sending.</summary>
    public void Add(long samples)
    {
        lock (_gate) _pending += samples;
    }

    /// <summary>Notes samples sent (or dropped) and wakes the waiter once the backlog is under its limit.</summary>
    public void Release(long samples)
    {
        TaskCompletionSource? wake = null;
        lock (_gate)
        {
            _pending -= samples;
            if (_waiter is not null && _pending < _waiterLimit)
            {
                wake = _waiter;
                _waiter = null;
            }
        }

        wake?.TrySetResult();
    }

    /// <summary>Completes once fewer than <paramref name="limit"/> samples are pending.</summary>
    public async Task WaitBelowAsync(long limit, CancellationToken cancellationToken)
    {
        Task wait;
        lock (_gate)
        {
            if (_pending < limit) return;
            _waiterLimit = limit;
            _waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            wait = _waiter.Task;
        }

        await wait.WaitAsync(cancellationToken).ConfigureAwait(false);
    }
}
