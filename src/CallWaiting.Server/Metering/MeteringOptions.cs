namespace CallWaiting.Server.Metering;

/// <summary>Batching, retry and shutdown settings of the usage meter.</summary>
public sealed record MeteringOptions
{
    /// <summary>Most queued items (usage events plus request logs) taken into one batch in normal operation.</summary>
    public int MaxBatchSize { get; init; } = 500;

    /// <summary>How long the writer waits for a batch to fill once the first item has arrived.</summary>
    public TimeSpan FlushInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>First delay before retrying a failed batch; it doubles per attempt.</summary>
    public TimeSpan RetryInitialDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Cap of the retry delay.</summary>
    public TimeSpan RetryMaxDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long shutdown keeps trying to write what is queued before it gives up and logs the remainder.</summary>
    public TimeSpan ShutdownFlushTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Request logs held in memory at most (queued or waiting for the database); further logs are dropped and counted.</summary>
    public int MaxPendingLogs { get; init; } = 100_000;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> when a setting is out of range.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxBatchSize, 1, nameof(MaxBatchSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(FlushInterval, TimeSpan.Zero, nameof(FlushInterval));
        ArgumentOutOfRangeException.ThrowIfLessThan(RetryInitialDelay, TimeSpan.FromMilliseconds(1), nameof(RetryInitialDelay));
        ArgumentOutOfRangeException.ThrowIfLessThan(RetryMaxDelay, RetryInitialDelay, nameof(RetryMaxDelay));
        ArgumentOutOfRangeException.ThrowIfLessThan(ShutdownFlushTimeout, TimeSpan.Zero, nameof(ShutdownFlushTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxPendingLogs, 1, nameof(MaxPendingLogs));
    }
}
