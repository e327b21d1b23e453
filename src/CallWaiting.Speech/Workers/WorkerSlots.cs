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
    private readonly HashSet<LinkedListNode<TaskCompletionSource<WorkerProcess>>> _continuationNodes = [];
    private LinkedListNode<TaskCompletionSource<WorkerProcess>>? _lastContinuation;
    private int _continuations;
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

    /// <summary>
    /// Leases an idle worker, or waits for one in the bounded queue. A <paramref name="continuation"/> (the next chunk of a
    /// stream already under way) waits at the front and is never refused: the queue bound is for admitting new work.
    /// </summary>
    /// <exception cref="EngineException">The queue is full (<see cref="EngineErrorKind.Overloaded"/>).</exception>
    public async ValueTask<WorkerProcess> AcquireAsync(bool continuation, CancellationToken cancellationToken)
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
            var waiter = new TaskCompletionSource<WorkerProcess>(TaskCreationOptions.RunContinuationsAsynchronously);
            if (continuation)
            {
                node = AddAfterContinuations(waiter);
            }
            else
            {
                if (_waiters.Count - _continuations >= queueCapacity)
                    throw new EngineException(EngineErrorKind.Overloaded,
                        $"All engine workers are busy and {queueCapacity} requests are already waiting; try again shortly.");
                node = _waiters.AddLast(waiter);
            }
        }

        await using var registration = cancellationToken.Register(() =>
        {
            lock (_gate)
            {
                // Only a waiter still queued can be cancelled; one already handed a worker owns it.
                if (node.List is null) return;
                Unlink(node);
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
            _continuationNodes.Clear();
            _lastContinuation = null;
            _continuations = 0;
        }
        foreach (var waiter in waiters) waiter.TrySetException(new ObjectDisposedException(nameof(EngineWorkerPool)));
        return workers;
    }

    // Continuations queue in arrival order ahead of every new request.
    private LinkedListNode<TaskCompletionSource<WorkerProcess>> AddAfterContinuations(TaskCompletionSource<WorkerProcess> waiter)
    {
        var node = _lastContinuation is null ? _waiters.AddFirst(waiter) : _waiters.AddAfter(_lastContinuation, waiter);
        _continuationNodes.Add(node);
        _lastContinuation = node;
        _continuations++;
        return node;
    }

    private void Unlink(LinkedListNode<TaskCompletionSource<WorkerProcess>> node)
    {
        if (_continuationNodes.Remove(node))
        {
            _continuations--;
            if (ReferenceEquals(node, _lastContinuation))
                _lastContinuation = _continuations == 0 ? null : node.Previous;
        }
        _waiters.Remove(node);
    }

    private void HandOff(WorkerProcess worker)
    {
        while (_waiters.First is { } first)
        {
            Unlink(first);
            if (!first.Value.TrySetResult(worker)) continue;
            _leased.Add(worker);
            return;
        }
        _idle.Add(worker);
    }
}
