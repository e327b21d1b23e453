using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using CallWaiting.Server.Configuration;
using CallWaiting.Server.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace CallWaiting.Server.Metering;

/// <summary>
/// The usage meter: a hosted background writer that takes usage events and request logs off the request
/// path and writes them to the database in batches, exactly once, surviving database outages.
/// </summary>
/// <remarks>
/// <para><b>Buffering.</b> Usage events are what clients are charged for and are never dropped. They enter an
/// unbounded channel, so <see cref="Record"/> never blocks and never fails; the writer keeps draining the
/// channel even while it waits to retry a failed batch, summing events per (day, key). A database outage
/// therefore costs memory in proportion to the active key-days, not to the request rate, and a bounded
/// channel (which would have to block the request or drop the charge when full) is not needed.
/// Request logs cannot be summed, so at most <see cref="MeteringOptions.MaxPendingLogs"/> are held; beyond
/// that new logs are dropped, counted in <c>metering_dropped_total</c> and reported in a rate-limited
/// warning: diagnostics give way before memory does.</para>
/// <para><b>Write-once.</b> Each batch carries an id that <see cref="IMeteringStore"/> records in the same
/// transaction as its rows, so retrying a batch whose commit succeeded but whose acknowledgement was lost
/// changes nothing. Every failure can therefore be retried, which the writer does with capped exponential
/// backoff and jitter, keeping the batch unchanged.</para>
/// <para><b>Shutdown.</b> <see cref="StopAsync"/> closes the queue (a later record is logged as lost and
/// counted), writes everything accepted before, and gives up at
/// <see cref="MeteringOptions.ShutdownFlushTimeout"/> or when the host's token fires, logging every unwritten
/// key-day at Critical level so the amounts can be reconciled. Stop the meter after the web server has
/// drained its requests (WebApplication starts its server after, and stops it before, other hosted services).</para>
/// </remarks>
public sealed partial class UsageMeter : IUsageMeter, IHostedService, IAsyncDisposable
{
    private static readonly TimeSpan FailureLogInterval = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan OverflowLogInterval = TimeSpan.FromSeconds(10);

    private readonly IMeteringStore _store;
    private readonly MeteringOptions _options;
    private readonly MeteringMetrics _metrics;
    private readonly Counter.Child _writtenUsage;
    private readonly Counter.Child _writtenLogs;
    private readonly ILogger<UsageMeter> _logger;
    // Not SingleReader: only the multi-reader channel can report its Count, which the writer's pacing uses.
    private readonly Channel<MeteringItem> _queue = Channel.CreateUnbounded<MeteringItem>(
        new UnboundedChannelOptions { SingleReader = false, SingleWriter = false });

    // _stopping ends lingering and backoff early so shutdown writes at once; _abort is the flush deadline.
    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationTokenSource _abort = new();
    private readonly Lock _lifecycle = new();
    private Task? _writer;
    private long _pending;
    private long _pendingLogs;
    private long _lastOverflowLog;

    /// <summary>Creates the meter; nothing is written until <see cref="StartAsync"/> (or <see cref="StopAsync"/>) runs.</summary>
    public UsageMeter(IMeteringStore store, MeteringOptions options, MeteringMetrics metrics, ILogger<UsageMeter> logger)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(logger);
        options.ThrowIfInvalid(nameof(options));
        _store = store;
        _options = options;
        _metrics = metrics;
        _writtenUsage = metrics.Written.WithLabels(MeteringMetrics.UsageKind);
        _writtenLogs = metrics.Written.WithLabels(MeteringMetrics.LogKind);
        _logger = logger;
    }

    /// <summary>Usage events and request logs accepted and not yet written.</summary>
    public long PendingCount => Volatile.Read(ref _pending);

    /// <inheritdoc />
    public void Record(UsageEvent usage)
    {
        // Only default(UsageEvent) gets here without a key; the constructor validates everything else.
        if (usage.ApiKeyId == Guid.Empty)
        {
            _metrics.Dropped.WithLabels(MeteringMetrics.UsageKind, "invalid").Inc();
            LogInvalidUsage();
            return;
        }

        // Counted before the write so the writer can never subtract an item that was not yet added.
        Interlocked.Increment(ref _pending);
        _metrics.QueueDepth.Inc();
        if (_queue.Writer.TryWrite(new MeteringItem(usage)))
        {
            return;
        }

        Interlocked.Decrement(ref _pending);
        _metrics.QueueDepth.Dec();
        _metrics.Dropped.WithLabels(MeteringMetrics.UsageKind, "after_shutdown").Inc();
        LogUsageAfterShutdown(FormatDay(usage.Day), usage.ApiKeyId, usage.TenantId, usage.Characters, usage.AudioSeconds, usage.SynthesisMilliseconds, usage.Error, usage.Cached);
    }

    /// <inheritdoc />
    public void Log(RequestLogEntry entry)
    {
        if (entry is null)
        {
            _metrics.Dropped.WithLabels(MeteringMetrics.LogKind, "invalid").Inc();
            return;
        }

        if (Interlocked.Increment(ref _pendingLogs) > _options.MaxPendingLogs)
        {
            Interlocked.Decrement(ref _pendingLogs);
            _metrics.Dropped.WithLabels(MeteringMetrics.LogKind, "log_overflow").Inc();
            LogOverflowRateLimited();
            return;
        }

        Interlocked.Increment(ref _pending);
        _metrics.QueueDepth.Inc();
        if (_queue.Writer.TryWrite(new MeteringItem(entry)))
        {
            return;
        }

        Interlocked.Decrement(ref _pendingLogs);
        Interlocked.Decrement(ref _pending);
        _metrics.QueueDepth.Dec();
        _metrics.Dropped.WithLabels(MeteringMetrics.LogKind, "after_shutdown").Inc();
        LogRequestLogAfterShutdown(entry.RequestId);
    }

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        EnsureWriter();
        return Task.CompletedTask;
    }

    /// <summary>Closes the queue and writes everything accepted, until the flush deadline or <paramref name="cancellationToken"/>.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        var writer = EnsureWriter();
        if (writer.IsCompleted)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        _abort.CancelAfter(_options.ShutdownFlushTimeout);
        await using (cancellationToken.Register(static state => ((CancellationTokenSource)state!).Cancel(), _abort))
        {
            await writer.ConfigureAwait(false);
        }
    }

    /// <summary>Stops (flushing, bounded by the flush timeout) if that has not happened, then releases the timers.</summary>
    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        _stopping.Dispose();
        _abort.Dispose();
    }

    private Task EnsureWriter()
    {
        lock (_lifecycle)
        {
            return _writer ??= Task.Run(RunAsync);
        }
    }

    // Never throws: every way out of the loop ends in a report of what was not written.
    private async Task RunAsync()
    {
        var usage = new UsageAccumulator();
        var logs = new Queue<RequestLogEntry>();
        MeteringBatch? batch = null;
        try
        {
            while (await HasWorkAsync(usage, logs).ConfigureAwait(false))
            {
                await LingerAsync(usage, logs).ConfigureAwait(false);
                Drain(usage, logs, _options.MaxBatchSize);
                batch = TakeBatch(usage, logs);
                await WriteAsync(batch, usage, logs).ConfigureAwait(false);
                batch = null;
            }
        }
        catch (OperationCanceledException) when (_abort.IsCancellationRequested)
        {
            ReportUnwritten(batch, usage, logs);
        }
        catch (Exception ex)
        {
            // A bug, not an outage: close the queue so later records are reported as lost instead of piling up unread.
            _queue.Writer.TryComplete();
            LogWriterFailed(ex);
            ReportUnwritten(batch, usage, logs);
        }
    }

    private async ValueTask<bool> HasWorkAsync(UsageAccumulator usage, Queue<RequestLogEntry> logs) =>
        !usage.IsEmpty || logs.Count > 0 || await _queue.Reader.WaitToReadAsync(_abort.Token).ConfigureAwait(false);

    // Gives a batch time to fill under light load; under heavy load (a full batch already queued) and when
    // stopping there is no wait.
    private async Task LingerAsync(UsageAccumulator usage, Queue<RequestLogEntry> logs)
    {
        if (_stopping.IsCancellationRequested || _options.FlushInterval == TimeSpan.Zero
            || !usage.IsEmpty || logs.Count > 0 || _queue.Reader.Count >= _options.MaxBatchSize)
        {
            return;
        }

        try
        {
            await Task.Delay(_options.FlushInterval, _stopping.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stop requested: write what is there now.
        }
    }

    private void Drain(UsageAccumulator usage, Queue<RequestLogEntry> logs, int limit)
    {
        for (var taken = 0; taken < limit && _queue.Reader.TryRead(out var item); taken++)
        {
            if (item.Log is { } log)
            {
                logs.Enqueue(log);
            }
            else
            {
                usage.Add(item.Usage);
            }
        }
    }

    // All summed usage goes in (it is one row per key-day); logs at most a batch's worth, oldest first.
    private MeteringBatch TakeBatch(UsageAccumulator usage, Queue<RequestLogEntry> logs)
    {
        var batchLogs = new RequestLogEntry[Math.Min(logs.Count, _options.MaxBatchSize)];
        for (var i = 0; i < batchLogs.Length; i++)
        {
            batchLogs[i] = logs.Dequeue();
        }

        var batch = new MeteringBatch(Guid.CreateVersion7(), usage.ToIncrements(), batchLogs, usage.EventCount);
        usage.Clear();
        return batch;
    }

    // Retries the same batch until it is written; only the shutdown deadline (_abort) ends the attempts.
    private async Task WriteAsync(MeteringBatch batch, UsageAccumulator usage, Queue<RequestLogEntry> logs)
    {
        var attempt = 0;
        var firstFailure = 0L;
        var lastFailureLog = 0L;
        while (true)
        {
            var started = Stopwatch.GetTimestamp();
            Exception failure;
            try
            {
                var committedNow = await _store.WriteAsync(batch, _abort.Token).ConfigureAwait(false);
                _metrics.BatchDuration.Observe(Stopwatch.GetElapsedTime(started).TotalSeconds);
                Completed(batch);
                if (!committedNow)
                {
                    LogDuplicateSkipped(batch.Id);
                }

                if (attempt > 0)
                {
                    LogRecovered(attempt, Stopwatch.GetElapsedTime(firstFailure).TotalSeconds);
                }

                return;
            }
            catch (Exception ex) when (!_abort.IsCancellationRequested)
            {
                failure = ex;
            }

            _metrics.WriteFailures.Inc();
            var now = Stopwatch.GetTimestamp();
            if (attempt++ == 0)
            {
                firstFailure = now;
            }

            if (attempt == 1 || Stopwatch.GetElapsedTime(lastFailureLog, now) >= FailureLogInterval)
            {
                lastFailureLog = now;
                LogWriteFailed(failure, attempt, PendingCount);
            }

            // Keep taking new items while the database is away: summed, they keep the backlog small.
            Drain(usage, logs, int.MaxValue);
            await BackoffAsync(attempt).ConfigureAwait(false);
        }
    }

    private async Task BackoffAsync(int attempt)
    {
        var initial = _options.RetryInitialDelay.Ticks;
        var ceiling = Math.Min(_options.RetryMaxDelay.Ticks, initial << Math.Min(attempt - 1, 30));
        if (ceiling < initial)
        {
            ceiling = _options.RetryMaxDelay.Ticks;
        }

        // Equal jitter: replicas that lost the same database do not come back in lockstep.
        var delay = TimeSpan.FromTicks((ceiling / 2) + Random.Shared.NextInt64((ceiling / 2) + 1));
        var token = _stopping.IsCancellationRequested ? _abort.Token : _stopping.Token;
        try
        {
            await Task.Delay(delay, token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!_abort.IsCancellationRequested)
        {
            // Stop requested while waiting: the final flush tries again at once.
        }
    }

    private void Completed(MeteringBatch batch)
    {
        var items = batch.UsageEventCount + batch.Logs.Count;
        Interlocked.Add(ref _pendingLogs, -batch.Logs.Count);
        Interlocked.Add(ref _pending, -items);
        _metrics.QueueDepth.Dec(items);
        _writtenUsage.Inc(batch.UsageEventCount);
        _writtenLogs.Inc(batch.Logs.Count);
    }

    private void ReportUnwritten(MeteringBatch? batch, UsageAccumulator usage, Queue<RequestLogEntry> logs)
    {
        Drain(usage, logs, int.MaxValue);
        var increments = (batch?.Usage ?? []).Concat(usage.ToIncrements()).ToList();
        var events = (batch?.UsageEventCount ?? 0) + usage.EventCount;
        var logCount = (batch?.Logs.Count ?? 0) + logs.Count;
        if (events == 0 && logCount == 0)
        {
            return;
        }

        LogUnwritten(events, increments.Count, logCount);
        if (batch is not null)
        {
            LogUnconfirmedBatch(batch.Id, batch.UsageEventCount, batch.Logs.Count);
        }

        foreach (var row in increments)
        {
            LogUnwrittenUsage(FormatDay(row.Day), row.ApiKeyId, row.TenantId, row.Requests, row.Characters, row.AudioSeconds, row.MsSynth, row.Errors, row.CachedRequests);
        }

        Interlocked.Add(ref _pendingLogs, -logCount);
        Interlocked.Add(ref _pending, -(events + logCount));
        _metrics.QueueDepth.Dec(events + logCount);
        _metrics.Dropped.WithLabels(MeteringMetrics.UsageKind, "shutdown_deadline").Inc(events);
        _metrics.Dropped.WithLabels(MeteringMetrics.LogKind, "shutdown_deadline").Inc(logCount);
        usage.Clear();
        logs.Clear();
    }

    private static string FormatDay(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private void LogOverflowRateLimited()
    {
        var now = Stopwatch.GetTimestamp();
        var last = Volatile.Read(ref _lastOverflowLog);
        if ((last == 0 || Stopwatch.GetElapsedTime(last, now) >= OverflowLogInterval)
            && Interlocked.CompareExchange(ref _lastOverflowLog, now, last) == last)
        {
            LogLogOverflow(_options.MaxPendingLogs);
        }
    }
}
