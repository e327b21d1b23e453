using System.Data.Common;
using CallWaiting.Server.ApiKeys;
using CallWaiting.Server.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CallWaiting.Server.Revocation;

/// <summary>
/// Reads the database's key-change feed (<see cref="KeyChangeLog"/>) every <see cref="Interval"/> and drops each
/// changed key, and every key of each changed tenant, from this server's verification cache. It is how a revocation
/// or suspension made by the CLI, or by another replica, reaches this server within about a second when there is no
/// Redis (SQLite beside the CLI, PostgreSQL replicas), and the backstop for Redis broadcasts missed in an outage.
/// </summary>
public sealed partial class KeyChangePoller(IDbConnectionFactory db, ApiKeyVerificationCache cache, TimeProvider time, ILogger<KeyChangePoller> logger)
    : BackgroundService
{
    /// <summary>How often the feed is read: one indexed query per second per server.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long changes are kept. A server needs only those since its last poll: one that was cut off from the database
    /// for longer than the verification cache's lifetime has nothing cached that a missed change could concern.
    /// </summary>
    public static readonly TimeSpan Retention = TimeSpan.FromDays(1);

    private static readonly TimeSpan PruneInterval = TimeSpan.FromHours(1);

    private long? _lastId;
    private DateTimeOffset _nextPrune;
    private bool _failing;

    /// <inheritdoc />
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        // Read where the feed stands before the server takes requests, so nothing cached can predate the starting point.
        _lastId = await TryReadAsync(ct => KeyChangeLog.LatestIdAsync(db, ct), cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await PollOnceAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    /// <summary>Applies the changes made since the last poll; a failed read is retried on the next tick, nothing is lost.</summary>
    internal async Task PollOnceAsync(CancellationToken cancellationToken)
    {
        if (_lastId is not { } lastId)
        {
            // The starting point was never read: anything cached may have missed a change, so start afresh.
            _lastId = await TryReadAsync(ct => KeyChangeLog.LatestIdAsync(db, ct), cancellationToken);
            if (_lastId is not null) cache.Clear();
            return;
        }

        var changes = await TryReadAsync(ct => KeyChangeLog.ReadAfterAsync(db, lastId, ct), cancellationToken);
        if (changes is null) return;
        foreach (var change in changes)
        {
            if (change.ApiKeyId is { } keyId) cache.Invalidate(keyId);
            if (change.TenantId is { } tenantId) cache.InvalidateTenant(tenantId);
            LogApplied(logger, change.Id, change.ApiKeyId, change.TenantId, change.Status);
            _lastId = change.Id;
        }

        // Every replica prunes; the deletes are idempotent, and an hour apart each.
        var now = time.GetUtcNow();
        if (now < _nextPrune) return;
        _nextPrune = now + PruneInterval;
        await TryReadAsync(ct => KeyChangeLog.PruneAsync(db, now - Retention, ct), cancellationToken);
    }

    private async Task<T?> TryReadAsync<T>(Func<CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        try
        {
            var result = await read(cancellationToken);
            if (_failing) LogRecovered(logger);
            _failing = false;
            return result;
        }
        catch (Exception e) when (e is DbException or TimeoutException && !cancellationToken.IsCancellationRequested)
        {
            if (!_failing) LogReadFailed(logger, e.Message);
            _failing = true;
            return default;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Key change {ChangeId} applied: key {ApiKeyId} tenant {TenantId} is now {Status}")]
    private static partial void LogApplied(ILogger logger, long changeId, Guid? apiKeyId, Guid? tenantId, string status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot read key changes from the database ({Reason}); retrying every second, cached verifications expire meanwhile")]
    private static partial void LogReadFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reading key changes from the database again")]
    private static partial void LogRecovered(ILogger logger);
}
