using System.Data.Common;
using System.Text;
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

    // 9 parameters per usage row and 14 per log row: both stay far below the engines' bind-variable limits.
    private const int UsageRowsPerStatement = 200;
    private const int LogRowsPerStatement = 100;

    // Bounds on log text: a client controls voice and user agent, and one oversized value must not bloat the table.
    private const int MaxShortText = 256;
    private const int MaxLongText = 2048;

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

        await IncrementUsageAsync(connection, transaction, batch.Usage, cancellationToken).ConfigureAwait(false);
        await InsertLogsAsync(connection, transaction, batch.Logs, cancellationToken).ConfigureAwait(false);
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

    // Rows go in (day, key) order, the same on every replica, so concurrent upserts never deadlock.
    private static async Task IncrementUsageAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<UsageIncrement> usage, CancellationToken cancellationToken)
    {
        var ordered = usage.OrderBy(row => row.Day).ThenBy(row => row.ApiKeyId).ToArray();
        foreach (var chunk in ordered.Chunk(UsageRowsPerStatement))
        {
            var sql = new StringBuilder(
                "INSERT INTO usage_counters (day, api_key_id, tenant_id, requests, characters, audio_seconds, ms_synth, errors, cached_requests) VALUES ");
            var parameters = new DynamicParameters();
            for (var i = 0; i < chunk.Length; i++)
            {
                var row = chunk[i];
                sql.Append(i == 0 ? "(" : ", (").Append($"@d{i}, @k{i}, @t{i}, @r{i}, @c{i}, @a{i}, @m{i}, @e{i}, @h{i})");
                parameters.Add("d" + i, row.Day);
                parameters.Add("k" + i, row.ApiKeyId);
                parameters.Add("t" + i, row.TenantId);
                parameters.Add("r" + i, row.Requests);
                parameters.Add("c" + i, row.Characters);
                parameters.Add("a" + i, row.AudioSeconds);
                parameters.Add("m" + i, row.MsSynth);
                parameters.Add("e" + i, row.Errors);
                parameters.Add("h" + i, row.CachedRequests);
            }

            sql.Append("""

                ON CONFLICT (day, api_key_id) DO UPDATE SET
                    requests = usage_counters.requests + excluded.requests,
                    characters = usage_counters.characters + excluded.characters,
                    audio_seconds = usage_counters.audio_seconds + excluded.audio_seconds,
                    ms_synth = usage_counters.ms_synth + excluded.ms_synth,
                    errors = usage_counters.errors + excluded.errors,
                    cached_requests = usage_counters.cached_requests + excluded.cached_requests
                """);
            await connection.ExecuteAsync(new CommandDefinition(sql.ToString(), parameters, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        }
    }

    private static async Task InsertLogsAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<RequestLogEntry> logs, CancellationToken cancellationToken)
    {
        foreach (var chunk in logs.Chunk(LogRowsPerStatement))
        {
            var sql = new StringBuilder(
                "INSERT INTO request_logs (request_id, api_key_id, tenant_id, endpoint, method, status, voice, text_length, duration_ms, error, ip, user_agent, cached, created_at) VALUES ");
            var parameters = new DynamicParameters();
            for (var i = 0; i < chunk.Length; i++)
            {
                var entry = chunk[i];
                sql.Append(i == 0 ? "(" : ", (").Append($"@q{i}, @k{i}, @t{i}, @p{i}, @m{i}, @s{i}, @v{i}, @l{i}, @d{i}, @e{i}, @i{i}, @u{i}, @c{i}, @a{i})");
                parameters.Add("q" + i, Clean(entry.RequestId, MaxShortText) ?? "");
                parameters.Add("k" + i, entry.ApiKeyId);
                parameters.Add("t" + i, entry.TenantId);
                parameters.Add("p" + i, Clean(entry.Endpoint, MaxShortText) ?? "");
                parameters.Add("m" + i, Clean(entry.Method, MaxShortText) ?? "");
                parameters.Add("s" + i, entry.Status);
                parameters.Add("v" + i, Clean(entry.Voice, MaxShortText));
                parameters.Add("l" + i, entry.TextLength);
                parameters.Add("d" + i, double.IsFinite(entry.DurationMs) ? entry.DurationMs : 0d);
                parameters.Add("e" + i, Clean(entry.Error, MaxLongText));
                parameters.Add("i" + i, Clean(entry.Ip, MaxShortText));
                parameters.Add("u" + i, Clean(entry.UserAgent, MaxShortText));
                parameters.Add("c" + i, entry.Cached);
                parameters.Add("a" + i, StorageTime.Truncate(entry.CreatedAt));
            }

            await connection.ExecuteAsync(new CommandDefinition(sql.ToString(), parameters, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Makes a value storable on both engines: PostgreSQL rejects NUL in text (which would make the batch fail
    /// forever), and values are cut at <paramref name="maxLength"/> characters without splitting a surrogate pair.
    /// </summary>
    internal static string? Clean(string? value, int maxLength)
    {
        if (value is null)
        {
            return null;
        }

        if (value.Contains('\0'))
        {
            value = value.Replace("\0", "", StringComparison.Ordinal);
        }

        if (value.Length <= maxLength)
        {
            return value;
        }

        var cut = char.IsHighSurrogate(value[maxLength - 1]) ? maxLength - 1 : maxLength;
        return value[..cut];
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
