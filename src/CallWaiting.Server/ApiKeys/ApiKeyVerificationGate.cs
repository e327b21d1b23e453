namespace CallWaiting.Server.ApiKeys;

/// <summary>
/// Admits at most a fixed number of scrypt verifications at once (about one per core), with a bounded queue and a
/// bounded wait behind them: a flood of keys to check is refused quickly instead of piling up requests, threads and
/// 16 MiB scrypt buffers. Keys answered from memory never come here.
/// </summary>
public sealed class ApiKeyVerificationGate
{
    private readonly SemaphoreSlim _slots;
    private readonly int _capacity;
    private readonly TimeSpan _maxWait;
    private int _admitted;

    /// <summary>Creates a gate with <paramref name="slots"/> running, up to <paramref name="queue"/> waiting at most <paramref name="maxWait"/> each.</summary>
    public ApiKeyVerificationGate(int slots, int queue, TimeSpan maxWait)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(slots, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(queue);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(maxWait, TimeSpan.Zero);
        _slots = new SemaphoreSlim(slots, slots);
        _capacity = slots + queue;
        _maxWait = maxWait;
    }

    /// <summary>Verifications running or waiting now.</summary>
    public int Admitted => Volatile.Read(ref _admitted);

    /// <summary>Takes a slot, waiting in line for at most the gate's wait; false (nothing taken) when the line is full or the wait ran out.</summary>
    public async ValueTask<bool> TryEnterAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref _admitted) > _capacity)
        {
            Interlocked.Decrement(ref _admitted);
            return false;
        }

        var entered = false;
        try
        {
            entered = await _slots.WaitAsync(_maxWait, cancellationToken).ConfigureAwait(false);
            return entered;
        }
        finally
        {
            if (!entered) Interlocked.Decrement(ref _admitted);
        }
    }

    /// <summary>Returns a slot taken by <see cref="TryEnterAsync"/>.</summary>
    public void Exit()
    {
        _slots.Release();
        Interlocked.Decrement(ref _admitted);
    }
}
