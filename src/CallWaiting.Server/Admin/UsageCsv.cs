using System.Globalization;
using System.Text;

namespace CallWaiting.Server.Admin;

/// <summary>The usage report as CSV (RFC 4180: CRLF lines, fields quoted when they hold a comma, quote or line break).</summary>
public static class UsageCsv
{
    private static readonly string[] Figures = ["requests", "characters", "audio_seconds", "errors", "error_rate", "p50_ms", "p95_ms", "p99_ms"];

    /// <summary>The file name a download is saved under, e.g. callwaiting-usage-by-day-2026-11-07-to-2026-12-06.csv.</summary>
    public static string FileName(UsageReportQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        return string.Create(CultureInfo.InvariantCulture,
            $"callwaiting-usage-by-{query.GroupBy.ToString().ToLowerInvariant()}-{query.From:yyyy-MM-dd}-to-{query.To:yyyy-MM-dd}.csv");
    }

    /// <summary>A header line with the grouping's columns, then one line per row.</summary>
    public static string Write(UsageGrouping grouping, IEnumerable<AdminUsageRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        string[] groups = grouping switch
        {
            UsageGrouping.Day => ["day"],
            UsageGrouping.Tenant => ["tenant_id", "tenant_name"],
            _ => ["api_key_id", "api_key_name", "api_key_prefix", "tenant_id", "tenant_name"],
        };
        var csv = new StringBuilder();
        Line(csv, [.. groups, .. Figures]);
        foreach (var row in rows)
        {
            string?[] group = grouping switch
            {
                UsageGrouping.Day => [row.Day],
                UsageGrouping.Tenant => [row.TenantId?.ToString(), Text(row.TenantName)],
                _ => [row.ApiKeyId?.ToString(), Text(row.ApiKeyName), Text(row.ApiKeyPrefix), row.TenantId?.ToString(), Text(row.TenantName)],
            };
            Line(csv, [.. group, Number(row.Requests), Number(row.Characters), Number(row.AudioSeconds), Number(row.Errors),
                Number(row.ErrorRate), Number(row.P50Ms), Number(row.P95Ms), Number(row.P99Ms)]);
        }

        return csv.ToString();
    }

    /// <summary>
    /// A name as a cell: one that starts like a formula (= + - @, tab, carriage return) gets a leading apostrophe, so a
    /// spreadsheet shows it instead of running it (names are chosen by tenants).
    /// </summary>
    internal static string? Text(string? value) =>
        value is { Length: > 0 } && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + value : value;

    private static string? Number(double? value) => value?.ToString("0.####", CultureInfo.InvariantCulture);

    private static void Line(StringBuilder csv, string?[] fields)
    {
        for (var i = 0; i < fields.Length; i++)
        {
            if (i > 0) csv.Append(',');
            var field = fields[i] ?? "";
            if (field.AsSpan().IndexOfAny(",\"\r\n") >= 0) csv.Append('"').Append(field.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
            else csv.Append(field);
        }

        csv.Append("\r\n");
    }
}
