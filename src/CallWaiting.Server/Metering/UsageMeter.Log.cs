using Microsoft.Extensions.Logging;

namespace CallWaiting.Server.Metering;

// The meter's log messages: what an operator reads when the database is away or a shutdown could not flush.
public sealed partial class UsageMeter
{
    [LoggerMessage(Level = LogLevel.Error, Message = "A default(UsageEvent) without an API key was recorded and ignored; build usage events with their constructor.")]
    private partial void LogInvalidUsage();

    [LoggerMessage(Level = LogLevel.Critical, Message = "Usage recorded after the meter stopped was NOT written: day {Day} key {ApiKeyId} tenant {TenantId} characters {Characters} audio_seconds {AudioSeconds} ms_synth {MsSynth} error {Error} cached {Cached}")]
    private partial void LogUsageAfterShutdown(string day, Guid apiKeyId, Guid tenantId, int characters, double audioSeconds, long msSynth, bool error, bool cached);

    [LoggerMessage(Level = LogLevel.Error, Message = "Request log {RequestId} arrived after the meter stopped and was not written.")]
    private partial void LogRequestLogAfterShutdown(string requestId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{MaxPendingLogs} request logs are waiting for the database; new request logs are dropped (usage is still kept). See metering_dropped_total.")]
    private partial void LogLogOverflow(int maxPendingLogs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Metering write failed (attempt {Attempt}, {Pending} items waiting); the batch is kept and retried.")]
    private partial void LogWriteFailed(Exception exception, int attempt, long pending);

    [LoggerMessage(Level = LogLevel.Information, Message = "Metering writes recovered after {Attempts} failed attempts over {Seconds:F1} s.")]
    private partial void LogRecovered(int attempts, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Metering batch {BatchId} had already been committed by an earlier attempt; the retry wrote nothing.")]
    private partial void LogDuplicateSkipped(Guid batchId);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Metering writer failed unexpectedly.")]
    private partial void LogWriterFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Metering stopped before the database took everything: {UsageEvents} usage events ({KeyDays} key-days) and {RequestLogs} request logs were NOT written. The unwritten usage follows, one line per key-day.")]
    private partial void LogUnwritten(long usageEvents, int keyDays, int requestLogs);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Metering batch {BatchId} ({UsageEvents} usage events, {RequestLogs} logs) was being written when shutdown gave up: it was committed if and only if metering_batches holds its id; it is included in the lines that follow.")]
    private partial void LogUnconfirmedBatch(Guid batchId, long usageEvents, int requestLogs);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Unwritten usage: day {Day} key {ApiKeyId} tenant {TenantId} requests {Requests} characters {Characters} audio_seconds {AudioSeconds} ms_synth {MsSynth} errors {Errors} cached_requests {CachedRequests}")]
    private partial void LogUnwrittenUsage(string day, Guid apiKeyId, Guid tenantId, long requests, long characters, double audioSeconds, long msSynth, long errors, long cachedRequests);
}
