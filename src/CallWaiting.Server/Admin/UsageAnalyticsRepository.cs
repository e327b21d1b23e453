using Dapper;
using CallWaiting.Server.Storage;

namespace CallWaiting.Server.Admin;

/// <summary>
/// The SQL behind GET /v1/admin/usage, one statement per source, the same on PostgreSQL and SQLite but for the UTC day:
/// requests, errors and latency percentiles from <c>request_logs</c> (every /v1 request as it was answered), characters
/// and audio seconds from <c>usage_counters</c> (what was charged, the figures /v1/usage and billing read).
/// </summary>
/// <remarks>
/// Percentiles are exact nearest-rank values computed in SQL with window functions (ROW_NUMBER and COUNT over each
/// group, ordered by duration), which both engines have: PostgreSQL's percentile_cont has no SQLite counterpart, and
/// computing them in C# would ship every row of up to 90 days to the server instead of one row per group.
/// </remarks>
public sealed class UsageAnalyticsRepository(IDbConnectionFactory db)
{
    /// <summary>Each group's figures from both sources, merged; groups without traffic are absent.</summary>
    public async Task<IReadOnlyList<UsageFigures>> ReportAsync(UsageReportQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var parameters = new { query.Start, query.End, query.From, query.To, TenantId = query.TenantId ?? Guid.Empty, ApiKeyId = query.ApiKeyId ?? Guid.Empty };
        var filters = (query.TenantId is null ? "" : " AND tenant_id = @TenantId") + (query.ApiKeyId is null ? "" : " AND api_key_id = @ApiKeyId");
        var postgres = db.Dialect.Provider == DatabaseProvider.Postgres;
        var logGroups = Groups(query.GroupBy, postgres ? "to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')" : "substr(created_at, 1, 10)");
        var counterGroups = Groups(query.GroupBy, postgres ? "to_char(day, 'YYYY-MM-DD')" : "day");

        var partition = string.Join(", ", logGroups.Select(g => g.Expression));
        var logSql = $"""
            WITH ranked AS (
                SELECT {Columns(logGroups)}, duration_ms AS d, CASE WHEN status >= 400 THEN 1 ELSE 0 END AS e,
                       ROW_NUMBER() OVER (PARTITION BY {partition} ORDER BY duration_ms) AS rn,
                       COUNT(*) OVER (PARTITION BY {partition}) AS n
                FROM request_logs
                WHERE created_at >= @Start AND created_at < @End{filters}
            )
            SELECT {Aliases(logGroups)}, COUNT(*) AS Requests, SUM(e) AS Errors,
                   MIN(CASE WHEN rn * 100 >= n * 50 THEN d END) AS P50,
                   MIN(CASE WHEN rn * 100 >= n * 95 THEN d END) AS P95,
                   MIN(CASE WHEN rn * 100 >= n * 99 THEN d END) AS P99
            FROM ranked GROUP BY {Aliases(logGroups)}
            """;
        var counterSql = $"""
            SELECT {Columns(counterGroups)}, CAST(SUM(characters) AS BIGINT) AS Characters, SUM(audio_seconds) AS AudioSeconds
            FROM usage_counters
            WHERE day >= @From AND day <= @To{filters}
            GROUP BY {string.Join(", ", counterGroups.Select(g => g.Expression))}
            """;

        await using var connection = await db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var logged = await connection.QueryAsync<GroupRow>(new CommandDefinition(logSql, parameters, cancellationToken: cancellationToken)).ConfigureAwait(false);
        var metered = await connection.QueryAsync<GroupRow>(new CommandDefinition(counterSql, parameters, cancellationToken: cancellationToken)).ConfigureAwait(false);

        var groups = new Dictionary<(string?, Guid?, Guid?), UsageFigures>();
        foreach (var row in logged)
            groups[row.Key] = new UsageFigures(row.Day, row.TenantId, row.ApiKeyId, row.Requests, row.Errors, row.P50, row.P95, row.P99, 0, 0);
        foreach (var row in metered)
        {
            var figures = groups.GetValueOrDefault(row.Key) ?? UsageFigures.Empty(row.Day, row.TenantId, row.ApiKeyId);
            groups[row.Key] = figures with { Characters = row.Characters, AudioSeconds = row.AudioSeconds };
        }

        return [.. groups.Values];
    }

    private static (string Expression, string Alias)[] Groups(UsageGrouping grouping, string utcDay) => grouping switch
    {
        UsageGrouping.Day => [(utcDay, "Day")],
        UsageGrouping.Tenant => [("tenant_id", "TenantId")],
        _ => [("api_key_id", "ApiKeyId"), ("tenant_id", "TenantId")],
    };

    private static string Columns(IEnumerable<(string Expression, string Alias)> groups) =>
        string.Join(", ", groups.Select(g => $"{g.Expression} AS {g.Alias}"));

    private static string Aliases(IEnumerable<(string Expression, string Alias)> groups) => string.Join(", ", groups.Select(g => g.Alias));

    private sealed class GroupRow
    {
        public string? Day { get; set; }

        public Guid? TenantId { get; set; }

        public Guid? ApiKeyId { get; set; }

        public long Requests { get; set; }

        public long Errors { get; set; }

        public double? P50 { get; set; }

        public double? P95 { get; set; }

        public double? P99 { get; set; }

        public long Characters { get; set; }

        public double AudioSeconds { get; set; }

        public (string?, Guid?, Guid?) Key => (Day, TenantId, ApiKeyId);
    }
}
