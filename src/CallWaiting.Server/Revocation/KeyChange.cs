namespace CallWaiting.Server.Revocation;

/// <summary>One row of the key-change feed: a key's or a whole tenant's new status (exactly one of the two ids is set).</summary>
public sealed record KeyChange
{
    /// <summary>Position in the feed (assigned by the database; 0 before the row is stored).</summary>
    public long Id { get; init; }

    /// <summary>The key whose status changed, or null for a tenant change.</summary>
    public Guid? ApiKeyId { get; init; }

    /// <summary>The tenant whose status changed, or null for a key change.</summary>
    public Guid? TenantId { get; init; }

    /// <summary>The new status, e.g. "revoked", "suspended", "active".</summary>
    public string Status { get; init; } = "";

    /// <summary>A change of one key's status.</summary>
    public static KeyChange ForKey(Guid apiKeyId, string status) => new() { ApiKeyId = apiKeyId, Status = status };

    /// <summary>A change of a tenant's status, which every key of the tenant follows.</summary>
    public static KeyChange ForTenant(Guid tenantId, string status) => new() { TenantId = tenantId, Status = status };
}
