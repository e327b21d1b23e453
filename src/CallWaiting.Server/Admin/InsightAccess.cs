using CallWaiting.Server.ApiKeys;
using CallWaiting.Server.Tenants;

namespace CallWaiting.Server.Admin;

/// <summary>
/// Which tenants an admin key may read: the operator's (the default tenant's) every tenant, any other tenant's admin
/// only its own, another tenant's ids answering 404 as if they did not exist.
/// </summary>
public sealed class InsightAccess(ApiKeyRepository keys)
{
    /// <summary>Whether <paramref name="caller"/> administers every tenant.</summary>
    public static bool IsOperator(ApiKey caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return caller.TenantId == Tenant.DefaultId;
    }

    /// <summary>
    /// The tenant filter a query runs with: the asked-for tenant (or none: all) for the operator, the caller's own
    /// tenant otherwise; another tenant's id is a 404.
    /// </summary>
    public static Guid? TenantFilter(ApiKey caller, Guid? requested)
    {
        if (IsOperator(caller)) return requested;
        return requested is null || requested == caller.TenantId ? caller.TenantId
            : throw AdminRequestException.NotFound("tenant_not_found", "No such tenant.");
    }

    /// <summary>Checks that the key exists and that the caller may see it (404 otherwise).</summary>
    public async Task CheckKeyAsync(ApiKey caller, Guid? apiKeyId, CancellationToken cancellationToken)
    {
        if (apiKeyId is not { } id) return;
        var key = await keys.GetByIdAsync(id, cancellationToken).ConfigureAwait(false);
        if (key is null || (!IsOperator(caller) && key.TenantId != caller.TenantId))
            throw AdminRequestException.NotFound("api_key_not_found", "No such API key.");
    }
}
