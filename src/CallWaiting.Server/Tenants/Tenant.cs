namespace CallWaiting.Server.Tenants;

/// <summary>An organisation that owns API keys, private voices and usage.</summary>
/// <param name="Id">Stable identifier.</param>
/// <param name="Slug">Unique, URL-safe handle (e.g. "default", "acme").</param>
/// <param name="Name">Display name.</param>
/// <param name="Plan">Billing plan name (e.g. "free").</param>
/// <param name="Status">"active" or "suspended".</param>
/// <param name="CreatedAt">Creation instant (UTC).</param>
public sealed record Tenant(Guid Id, string Slug, string Name, string Plan, string Status, DateTimeOffset CreatedAt)
{
    /// <summary>Slug of the tenant that keys belong to unless another is named.</summary>
    public const string DefaultSlug = "default";

    /// <summary>
    /// Fixed id of the default tenant on every install, so SQL scripts rendered anywhere (keys create --sql)
    /// and the tenant_id they report agree with the database they are run against.
    /// </summary>
    public static readonly Guid DefaultId = new("7f0f8a71-2821-48a7-85c5-9a874eadf2d3");

    /// <summary>Display name of the default tenant.</summary>
    public const string DefaultName = "Default";

    /// <summary>Plan given to new tenants unless another is named.</summary>
    public const string DefaultPlan = "free";

    /// <summary>Status of a tenant in good standing.</summary>
    public const string ActiveStatus = "active";

    /// <summary>Status of a suspended tenant: none of its keys may be used.</summary>
    public const string SuspendedStatus = "suspended";

    /// <summary>A not-yet-stored default tenant created at <paramref name="now"/>.</summary>
    public static Tenant NewDefault(DateTimeOffset now) => new(DefaultId, DefaultSlug, DefaultName, DefaultPlan, ActiveStatus, now);
}
