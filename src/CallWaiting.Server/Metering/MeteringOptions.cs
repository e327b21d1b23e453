using CallWaiting.Server.Configuration;

namespace CallWaiting.Server.Metering;

/// <summary>Batching, retry and shutdown settings of the usage meter (configuration section <c>Metering</c>).</summary>
public sealed record MeteringOptions : IValidatedOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Metering";

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

    /// <inheritdoc />
    public IEnumerable<string> Problems()
    {
        if (MaxBatchSize < 1) yield return "Metering:MaxBatchSize must be at least 1.";
        if (FlushInterval < TimeSpan.Zero) yield return "Metering:FlushInterval must not be negative.";
        if (RetryInitialDelay < TimeSpan.FromMilliseconds(1)) yield return "Metering:RetryInitialDelay must be at least 1 ms.";
        if (RetryMaxDelay < RetryInitialDelay) yield return "Metering:RetryMaxDelay must not be below RetryInitialDelay.";
        if (ShutdownFlushTimeout < TimeSpan.Zero) yield return "Metering:ShutdownFlushTimeout must not be negative.";
        if (MaxPendingLogs < 1) yield return "Metering:MaxPendingLogs must be at least 1.";
    }
}
