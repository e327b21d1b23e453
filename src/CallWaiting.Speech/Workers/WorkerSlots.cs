using CallWaiting.Speech.Engines;

namespace CallWaiting.Speech.Workers;

/// <summary>
/// The pool's bookkeeping under one lock: live workers, which of them are idle or leased, and the bounded queue of
/// requests waiting for one. A worker freed while requests wait goes straight to the oldest waiter.
/// </summary>
internal sealed class WorkerSlots(int queueCapacity)
{
    private readonly Lock _gate = new();
    private readonly List<WorkerProcess> _all = [];
    private readonly List<WorkerProcess> _idle = [];
    private readonly HashSet<WorkerProcess> _leased = [];
    private readonly LinkedList<TaskCompletionSource<WorkerProcess>> _waiters = new();
    private bool _closed;

    public int Busy
    {
        get { lock (_gate) return _leased.Count; }
    }

    public int Waiting
    {
        get { lock (_gate) return _waiters.Count; }
    }

    public WorkerProcess[] Snapshot()
    {
        lock (_gate) return [.. _all];
    }

    /// <summary>Adds a started worker; false when the pool is closed (the caller disposes it).</summary>
    public bool Add(WorkerProcess worker)
    {
        lock (_gate)
        {
            if (_closed) return false;
            _all.Add(worker);
            HandOff(worker);
            return true;
        }
    }

    /// <summary>Leases an idle worker, or waits for one in the bounded queue.</summary>
    /// <exception cref="EngineException">The queue is full (<see cref="EngineErrorKind.Overloaded"/>).</exception>
    public async ValueTask<WorkerProcess> AcquireAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        LinkedListNode<TaskCompletionSource<WorkerProcess>> node;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_closed, typeof(EngineWorkerPool));
            // Newest idle first: it is the warmest. Dead ones are left for the Exited handler to replace.
            for (var i = _idle.Count - 1; i >= 0; i--)
            {
                var candidate = _idle[i];
                _idle.RemoveAt(i);
                if (candidate.HasExited) continue;
                _leased.Add(candidate);
                return candidate;
            }
            if (_waiters.Count >= queueCapacity)
                throw new EngineException(EngineErrorKind.Overloaded,
                    $"All engine workers are busy and {queueCapacity} requests are already waiting; try again shortly.");
            node = _waiters.AddLast(new TaskCompletionSource<WorkerProcess>(TaskCreationOptions.RunContinuationsAsynchronously));
        }

        await using var registration = cancellationToken.Register(() =>
        {
            lock (_gate)
            {
                // Only a waiter still queued can be cancelled; one already handed a worker owns it.
                if (node.List is null) return;
                _waiters.Remove(node);
            }
            node.Value.TrySetCanceled(cancellationToken);
        }).ConfigureAwait(false);
        return await node.Value.Task.ConfigureAwait(false);
    }

    /// <summary>
    /// Takes back a leased worker: a healthy one goes to the next waiter or the idle list; a broken one leaves the pool.
    /// Returns true when the caller must replace it.
    /// </summary>
    public bool Release(WorkerProcess worker, bool healthy)
    {
        lock (_gate)
        {
            _leased.Remove(worker);
            if (!_all.Contains(worker)) return false;
            if (healthy && !_closed)
            {
                HandOff(worker);
                return false;
            }
            _all.Remove(worker);
            return !_closed;
        }
    }

    /// <summary>Removes a worker that died while not leased; true when the caller must replace it.</summary>
    public bool RemoveUnleased(WorkerProcess worker)
    {
        lock (_gate)
        {
            if (_closed || _leased.Contains(worker) || !_all.Remove(worker)) return false;
            _idle.Remove(worker);
            return true;
        }
    }

    /// <summary>Closes the pool: fails every waiter and returns the workers to dispose (null if already closed).</summary>
    public WorkerProcess[]? Close()
    {
        TaskCompletionSource<WorkerProcess>[] waiters;
        WorkerProcess[] workers;
        lock (_gate)
        {
            if (_closed) return null;
            _closed = true;
            workers = [.. _all];
            waiters = [.. _waiters];
            _all.Clear();
            _idle.Clear();
            _waiters.Clear();
        }
        foreach (var waiter in waiters) waiter.TrySetException(new ObjectDisposedException(nameof(EngineWorkerPool)));
        return workers;
    }

    private void HandOff(WorkerProcess worker)
    {
        while (_waiters.First is { } first)
        {
            _waiters.RemoveFirst();
            if (!first.Value.TrySetResult(worker)) continue;
            _leased.Add(worker);
            return;
        }
        _idle.Add(worker);
    }
}
