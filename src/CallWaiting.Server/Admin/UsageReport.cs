using System.Globalization;
using CallWaiting.Server.ApiKeys;
using CallWaiting.Server.Tenants;

namespace CallWaiting.Server.Admin;

/// <summary>GET /v1/admin/usage's rows: the repository's figures with names, rates and rounding, in report order.</summary>
public sealed class UsageReport(UsageAnalyticsRepository analytics, TenantRepository tenants, ApiKeyRepository keys)
{
    /// <summary>
    /// Runs the report. By day: every day of the range, oldest first, quiet days as zeros (a chart's x axis). By tenant or
    /// key: the groups with traffic, busiest first.
    /// </summary>
    public async Task<IReadOnlyList<AdminUsageRow>> RunAsync(UsageReportQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var figures = await analytics.ReportAsync(query, cancellationToken).ConfigureAwait(false);
        if (query.GroupBy == UsageGrouping.Day)
        {
            var byDay = figures.ToDictionary(f => f.Day!, StringComparer.Ordinal);
            return [.. Enumerable.Range(0, query.To.DayNumber - query.From.DayNumber + 1)
                .Select(offset => query.From.AddDays(offset).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))
                .Select(day => Row(byDay.GetValueOrDefault(day) ?? UsageFigures.Empty(day, null, null), null, null))];
        }

        var tenantNames = (await tenants.ListAsync(cancellationToken).ConfigureAwait(false)).ToDictionary(t => t.Id, t => t.Name);
        var keyNames = query.GroupBy == UsageGrouping.Key
            ? (await keys.ListAsync(query.TenantId, cancellationToken).ConfigureAwait(false)).ToDictionary(k => k.Id)
            : new Dictionary<Guid, ApiKey>();
        return [.. figures
            .OrderByDescending(f => f.Requests).ThenByDescending(f => f.Characters).ThenBy(f => f.TenantId).ThenBy(f => f.ApiKeyId)
            .Select(f => Row(f, f.TenantId is { } tenant ? tenantNames.GetValueOrDefault(tenant) : null,
                f.ApiKeyId is { } key ? keyNames.GetValueOrDefault(key) : null))];
    }

    private static AdminUsageRow Row(UsageFigures f, string? tenantName, ApiKey? key) => new(
        f.Day, f.TenantId, tenantName, f.ApiKeyId, key?.Name, key?.KeyPrefix,
        f.Requests, f.Characters, Math.Round(f.AudioSeconds, 3), f.Errors,
        f.Requests == 0 ? 0 : Math.Round((double)f.Errors / f.Requests, 4),
        Milliseconds(f.P50Ms), Milliseconds(f.P95Ms), Milliseconds(f.P99Ms));

    private static double? Milliseconds(double? value) => value is { } ms ? Math.Round(ms, 2) : null;
}
