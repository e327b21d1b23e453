using System.Data.Common;
using System.Text;
using Dapper;

namespace CallWaiting.Server.Storage;

/// <summary>Atomic increments and daily reports of the <c>usage_counters</c> table (day × key).</summary>
public sealed class UsageRepository
{
    private const int RowsPerStatement = 200;

    private const string Report = """
        CAST(SUM(requests) AS BIGINT) AS Requests, CAST(SUM(characters) AS BIGINT) AS Characters,
        CAST(SUM(ms_synth) AS BIGINT) AS MsSynth, SUM(audio_seconds) AS AudioSeconds
        """;

    private readonly IDbConnectionFactory _db;
    private readonly TimeProvider _time;

    /// <summary>Creates the repository; <paramref name="time"/> defines "today" (UTC) for reports.</summary>
    public UsageRepository(IDbConnectionFactory db, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(db);
        _db = db;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Largest accepted report window.</summary>
    public const int MaxDays = 366;

    /// <summary>
    /// Adds a batch of increments in one transaction. Increments of the same day and key are summed first, then
    /// upserted with INSERT … ON CONFLICT DO UPDATE (see <see cref="WriteAsync"/>), so concurrent batches on any
    /// number of replicas add up exactly.
    /// </summary>
    public async Task IncrementAsync(IEnumerable<UsageIncrement> increments, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(increments);
        var rows = increments
            .GroupBy(increment => (increment.Day, increment.ApiKeyId))
            .Select(group => group.Aggregate((sum, next) => sum with
            {
                Requests = sum.Requests + next.Requests,
                Characters = sum.Characters + next.Characters,
                AudioSeconds = sum.AudioSeconds + next.AudioSeconds,
                MsSynth = sum.MsSynth + next.MsSynth,
                Errors = sum.Errors + next.Errors,
                CachedRequests = sum.CachedRequests + next.CachedRequests,
            }))
            .ToList();
        if (rows.Count == 0)
        {
            return;
        }

        await using var connection = await _db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await WriteAsync(connection, transaction, rows, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Upserts rows (at most one per day and key) inside the caller's transaction, in (day, key) order, the same on
    /// every replica, so concurrent writers never deadlock. The metering writer shares it to commit usage, logs and its
    /// batch id together.
    /// </summary>
    internal static async Task WriteAsync(DbConnection connection, DbTransaction transaction,
        IEnumerable<UsageIncrement> rows, CancellationToken cancellationToken)
    {
        var ordered = rows.OrderBy(row => row.Day).ThenBy(row => row.ApiKeyId).ToArray();
        foreach (var chunk in ordered.Chunk(RowsPerStatement))
        {
            var sql = new StringBuilder("INSERT INTO usage_counters (day, api_key_id, tenant_id, requests, characters, audio_seconds, ms_synth, errors, cached_requests) VALUES ");
            var parameters = new DynamicParameters();
            for (var i = 0; i < chunk.Length; i++)
            {
                var row = chunk[i];
                sql.Append(i == 0 ? "(" : ", (")
                    .Append($"@d{i}, @k{i}, @t{i}, @r{i}, @c{i}, @a{i}, @m{i}, @e{i}, @h{i})");
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

    /// <summary>One key's usage for the last <paramref name="days"/> UTC days (today included), newest first; days without usage are absent.</summary>
    public Task<IReadOnlyList<UsageDay>> GetDailyForKeyAsync(Guid apiKeyId, int days, CancellationToken cancellationToken = default) =>
        QueryAsync("api_key_id = @Id", apiKeyId, days, cancellationToken);

    /// <summary>A tenant's usage (all its keys) for the last <paramref name="days"/> UTC days, newest first.</summary>
    public Task<IReadOnlyList<UsageDay>> GetDailyForTenantAsync(Guid tenantId, int days, CancellationToken cancellationToken = default) =>
        QueryAsync("tenant_id = @Id", tenantId, days, cancellationToken);

    private async Task<IReadOnlyList<UsageDay>> QueryAsync(string filter, Guid id, int days, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(days, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(days, MaxDays);
        var since = DateOnly.FromDateTime(_time.GetUtcNow().UtcDateTime).AddDays(1 - days);
        await using var connection = await _db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<UsageRow>(new CommandDefinition(
            $"SELECT day AS Day, {Report} FROM usage_counters WHERE {filter} AND day >= @Since GROUP BY day ORDER BY day DESC",
            new { Id = id, Since = since },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.Select(row => new UsageDay(
            row.Day,
            row.Requests,
            row.Characters,
            row.Requests == 0 ? 0 : (double)row.MsSynth / row.Requests,
            row.AudioSeconds)).ToList();
    }

    private sealed class UsageRow
    {
        public DateOnly Day { get; set; }

        public long Requests { get; set; }

        public long Characters { get; set; }

        public long MsSynth { get; set; }

        public double AudioSeconds { get; set; }
    }
}
