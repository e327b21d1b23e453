using System.Threading.Channels;
using CallWaiting.Server.ApiKeys;
using CallWaiting.Server.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CallWaiting.Server.Usage;

/// <summary>
/// Writes usage increments and request logs off the request path: items queue in memory, a background loop
/// writes whatever has gathered in one transaction per table, retries failed writes with backoff (nothing is
/// dropped while the database is away), and shutdown drains the queue before the process exits.
/// </summary>
public sealed partial class BatchedApiMeter(UsageRepository usage, RequestLogRepository logs, ILogger<BatchedApiMeter> logger)
    : BackgroundService, IApiMeter
{
    private const int MaxBatch = 500;
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan ShutdownDeadline = TimeSpan.FromSeconds(30);

    private readonly Channel<object> _queue = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true });

    /// <inheritdoc />
    public void RecordSynthesis(ApiKey key, DateTimeOffset at, int characters, double audioSeconds, long synthesisMilliseconds) =>
        _queue.Writer.TryWrite(new UsageIncrement(DateOnly.FromDateTime(at.UtcDateTime), key.Id, key.TenantId, 1, characters,
            double.IsFinite(audioSeconds) ? Math.Max(0, audioSeconds) : 0, Math.Max(0, synthesisMilliseconds), 0, 0));

    /// <inheritdoc />
    public void Log(RequestLogEntry entry) => _queue.Writer.TryWrite(entry);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The loop runs until the queue is completed and drained (StopAsync), not until the stop signal.
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
        {
            var increments = new List<UsageIncrement>();
            var entries = new List<RequestLogEntry>();
            while (increments.Count + entries.Count < MaxBatch && reader.TryRead(out var item))
            {
                if (item is UsageIncrement increment) increments.Add(increment);
                else entries.Add((RequestLogEntry)item);
            }

            await WriteWithRetryAsync(increments, entries).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(ShutdownDeadline);
        try
        {
            if (ExecuteTask is { } loop) await loop.WaitAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            LogShutdownIncomplete(logger, _queue.Reader.Count);
        }

        await base.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task WriteWithRetryAsync(List<UsageIncrement> increments, List<RequestLogEntry> entries)
    {
        var delay = TimeSpan.FromMilliseconds(100);
        while (true)
        {
            try
            {
                if (increments.Count > 0) await usage.IncrementAsync(increments).ConfigureAwait(false);
                increments.Clear();
                if (entries.Count > 0) await logs.InsertBatchAsync(entries).ConfigureAwait(false);
                return;
            }
            catch (Exception e)
            {
                LogWriteFailed(logger, increments.Count, entries.Count, e.Message);
                await Task.Delay(delay).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetryDelay.Ticks));
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Shutdown deadline passed with {Count} metering items unwritten")]
    private static partial void LogShutdownIncomplete(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Metering write failed ({UsageRows} usage rows, {LogRows} log rows): {Reason}; retrying")]
    private static partial void LogWriteFailed(ILogger logger, int usageRows, int logRows, string reason);
}
