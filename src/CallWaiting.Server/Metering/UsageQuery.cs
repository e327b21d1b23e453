using System.Globalization;
using CallWaiting.Server.Storage;

namespace CallWaiting.Server.Metering;

/// <summary>
/// GET /v1/usage: daily usage of one API key or one tenant over the last N UTC days (today included),
/// newest first. Days without usage have no counter row and are omitted, not reported as zeros.
/// </summary>
public sealed class UsageQuery
{
    /// <summary>Smallest accepted window.</summary>
    public const int MinDays = 1;

    /// <summary>Largest accepted window (DESIGN.md §2).</summary>
    public const int MaxDays = 90;

    /// <summary>Window used when the client names none.</summary>
    public const int DefaultDays = 7;

    private readonly UsageRepository _usage;

    /// <summary>Creates the query over the usage repository.</summary>
    public UsageQuery(UsageRepository usage)
    {
        ArgumentNullException.ThrowIfNull(usage);
        _usage = usage;
    }

    /// <summary>Whether <paramref name="days"/> is an accepted window (the endpoint answers 400 otherwise).</summary>
    public static bool IsValidDays(int days) => days is >= MinDays and <= MaxDays;

    /// <summary>One key's usage; throws <see cref="ArgumentOutOfRangeException"/> when days is outside 1–90.</summary>
    public async Task<IReadOnlyList<UsageReportRow>> ForApiKeyAsync(Guid apiKeyId, int days, CancellationToken cancellationToken = default)
    {
        CheckDays(days);
        return ToRows(await _usage.GetDailyForKeyAsync(apiKeyId, days, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>A tenant's usage over all its keys; throws <see cref="ArgumentOutOfRangeException"/> when days is outside 1–90.</summary>
    public async Task<IReadOnlyList<UsageReportRow>> ForTenantAsync(Guid tenantId, int days, CancellationToken cancellationToken = default)
    {
        CheckDays(days);
        return ToRows(await _usage.GetDailyForTenantAsync(tenantId, days, cancellationToken).ConfigureAwait(false));
    }

    private static void CheckDays(int days)
    {
        if (!IsValidDays(days))
        {
            throw new ArgumentOutOfRangeException(nameof(days), days, $"days must be between {MinDays} and {MaxDays}.");
        }
    }

    private static UsageReportRow[] ToRows(IReadOnlyList<UsageDay> days)
    {
        var rows = new UsageReportRow[days.Count];
        for (var i = 0; i < rows.Length; i++)
        {
            var day = days[i];
            rows[i] = new UsageReportRow(
                day.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                day.Requests,
                day.Characters,
                Math.Round(day.AvgLatencyMs, 2),
                Math.Round(day.AudioSeconds, 3));
        }

        return rows;
    }
}
