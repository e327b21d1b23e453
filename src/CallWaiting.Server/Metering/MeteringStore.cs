using System.Data.Common;
using CallWaiting.Server.Storage;
using Dapper;

namespace CallWaiting.Server.Metering;

/// <summary>
/// Writes metering batches to <c>usage_counters</c> and <c>request_logs</c> in one transaction together with
/// the batch id in <c>metering_batches</c>. The id goes in first with ON CONFLICT DO NOTHING: when it is
/// already there, an earlier attempt committed and this one changes nothing. A retry is therefore safe
/// whatever became of the previous attempt, including a commit whose acknowledgement was lost; that is
/// why the storage repositories (one transaction each, no batch id) are not used here.
/// </summary>
public sealed class MeteringStore : IMeteringStore
{
    /// <summary>Default time a batch id is kept: far longer than any retry of that batch can be in flight.</summary>
    public static readonly TimeSpan DefaultBatchIdRetention = TimeSpan.FromDays(7);

    private static readonly TimeSpan PruneInterval = TimeSpan.FromHours(1);

    private readonly IDbConnectionFactory _db;
    private readonly TimeProvider _time;
    private readonly TimeSpan _retention;
    private long _nextPruneTicks;

    /// <summary>Creates the store over a migrated database.</summary>
    /// <param name="db">The database.</param>
    /// <param name="time">Clock for the batch ledger's timestamps.</param>
    /// <param name="batchIdRetention">How long committed batch ids are kept for duplicate detection (default 7 days).</param>
    public MeteringStore(IDbConnectionFactory db, TimeProvider? time = null, TimeSpan? batchIdRetention = null)
    {
        ArgumentNullException.ThrowIfNull(db);
        var retention = batchIdRetention ?? DefaultBatchIdRetention;
        ArgumentOutOfRangeException.ThrowIfLessThan(retention, TimeSpan.FromHours(1), nameof(batchIdRetention));
        _db = db;
        _time = time ?? TimeProvider.System;
        _retention = retention;
    }

    /// <inheritdoc />
    public async Task<bool> WriteAsync(MeteringBatch batch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var now = StorageTime.UtcNow(_time);
        await using var connection = await _db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

        // On PostgreSQL this waits while an earlier attempt holding the same id is still in progress, then
        // inserts (it rolled back) or does nothing (it committed): the outcome is never guessed.
        var claimed = await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO metering_batches (batch_id, committed_at, usage_events, request_logs)
            VALUES (@Id, @Now, @Events, @Logs)
            ON CONFLICT (batch_id) DO NOTHING
            """,
            new { batch.Id, Now = now, Events = batch.UsageEventCount, Logs = batch.Logs.Count },
            transaction,
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        if (claimed == 0)
        {
            await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
            return false;
        }

        await UsageRepository.WriteAsync(connection, transaction, batch.Usage, cancellationToken).ConfigureAwait(false);
        await RequestLogRepository.InsertAsync(connection, transaction, batch.Logs, cancellationToken).ConfigureAwait(false);
        var pruned = await PruneIfDueAsync(connection, transaction, now, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        if (pruned)
        {
            Volatile.Write(ref _nextPruneTicks, (now + PruneInterval).UtcTicks);
        }

        return true;
    }

    /// <summary>Whether a batch id is in the ledger, i.e. that batch is committed.</summary>
    public async Task<bool> IsCommittedAsync(Guid batchId, CancellationToken cancellationToken = default)
    {
        await using var connection = await _db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var count = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM metering_batches WHERE batch_id = @Id",
            new { Id = batchId },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return count > 0;
    }

    // Ids only matter while their batch could still be retried; the ledger is trimmed at most once an hour.
    private async Task<bool> PruneIfDueAsync(DbConnection connection, DbTransaction transaction, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (now.UtcTicks < Volatile.Read(ref _nextPruneTicks))
        {
            return false;
        }

        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM metering_batches WHERE committed_at < @Cutoff",
            new { Cutoff = now - _retention },
            transaction,
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return true;
    }
}
