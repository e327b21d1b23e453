namespace CallWaiting.Server.Admin;

/// <summary>How GET /v1/admin/usage groups its rows (<c>group_by</c>).</summary>
public enum UsageGrouping
{
    /// <summary>One row per UTC day of the range, days without traffic included as zeros.</summary>
    Day,

    /// <summary>One row per tenant with traffic in the range.</summary>
    Tenant,

    /// <summary>One row per API key with traffic in the range.</summary>
    Key,
}
