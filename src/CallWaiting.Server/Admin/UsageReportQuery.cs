
namespace CallWaiting.Server.Admin;

/// <summary>What GET /v1/admin/usage asked for: whole UTC days <see cref="From"/> to <see cref="To"/> (both included), filters and grouping.</summary>
/// <param name="From">First day.</param>
/// <param name="To">Last day.</param>
/// <param name="TenantId">Only this tenant's traffic, or every tenant's (operator only).</param>
/// <param name="ApiKeyId">Only this key's traffic.</param>
/// <param name="GroupBy">Row grouping.</param>
public sealed record UsageReportQuery(DateOnly From, DateOnly To, Guid? TenantId, Guid? ApiKeyId, UsageGrouping GroupBy)
{
    /// <summary>The longest range, in days, one report covers.</summary>
    public const int MaxDays = 90;

    /// <summary>Days reported when <c>from</c> is not given.</summary>
    public const int DefaultDays = 30;

    /// <summary>The range's start as an instant (UTC midnight of <see cref="From"/>).</summary>
    public DateTimeOffset Start => new(From.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    /// <summary>The range's exclusive end (UTC midnight after <see cref="To"/>).</summary>
    public DateTimeOffset End => new(To.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    /// <summary>
    /// Reads from, to (default: the <see cref="DefaultDays"/> days up to <paramref name="today"/>), tenant_id, api_key_id
    /// and group_by (default day); refuses anything it cannot use with a 400.
    /// </summary>
    public static UsageReportQuery Read(AdminQueryReader query, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(query);
        var to = query.Date("to") ?? today;
        var from = query.Date("from") ?? to.AddDays(1 - DefaultDays);
        CheckRange(from, to);
        var groupBy = query.Text("group_by") switch
        {
            null or "day" => UsageGrouping.Day,
            "tenant" => UsageGrouping.Tenant,
            "key" => UsageGrouping.Key,
            _ => throw AdminQueryReader.Refuse("invalid_group_by", "Query parameter 'group_by' must be day, tenant or key."),
        };
        return new UsageReportQuery(from, to, query.Guid("tenant_id"), query.Guid("api_key_id"), groupBy);
    }

    /// <summary>Refuses a range that ends before it starts or spans more than <see cref="MaxDays"/> days.</summary>
    internal static void CheckRange(DateOnly from, DateOnly to)
    {
        if (from > to) throw AdminQueryReader.Refuse("invalid_range", $"'from' ({from:yyyy-MM-dd}) is after 'to' ({to:yyyy-MM-dd}).");
        if (to.DayNumber - from.DayNumber + 1 > MaxDays)
            throw AdminQueryReader.Refuse("range_too_long", $"A range covers at most {MaxDays} days; {from:yyyy-MM-dd} to {to:yyyy-MM-dd} is {to.DayNumber - from.DayNumber + 1}.");
    }
}
