using CallWaiting.Server.ApiKeys;
using CallWaiting.Server.Auth;
using CallWaiting.Server.Hosting;
using CallWaiting.Server.Tenants;
using Microsoft.AspNetCore.Http;

namespace CallWaiting.Server.Admin;

/// <summary>
/// Who calls an admin endpoint and what it may administer, decided here only: an <c>admin</c> key of the default
/// tenant (the operator's) administers every tenant; an <c>admin</c> key of any other tenant administers only its own,
/// and to it another tenant does not exist (404, never 403, so ids cannot be probed).
/// </summary>
/// <param name="Key">The caller's key (it passed the admin scope).</param>
public sealed record AdminCaller(ApiKey Key)
{
    /// <summary>The caller of a request that passed the /v1/admin group's filters.</summary>
    public static AdminCaller Of(HttpContext context) => new(ApiCaller.Of(context).Key);

    /// <summary>Whether the caller is the operator (administers every tenant, creates tenants, sets plans).</summary>
    public bool IsOperator => Key.TenantId == Tenant.DefaultId;

    /// <summary>Whether the caller may see and change tenant <paramref name="tenantId"/>.</summary>
    public bool MaySee(Guid tenantId) => IsOperator || Key.TenantId == tenantId;

    /// <summary>Throws the 404 of an unknown tenant unless the caller may see <paramref name="tenantId"/>.</summary>
    public void RequireTenant(Guid tenantId)
    {
        if (!MaySee(tenantId)) throw TenantNotFound(tenantId);
    }

    /// <summary>
    /// The tenant a listing covers: <paramref name="requested"/> when given (404 unless visible); else null (every
    /// tenant) for the operator and the caller's own tenant for anyone else.
    /// </summary>
    public Guid? ListingScope(Guid? requested)
    {
        if (requested is { } id)
        {
            RequireTenant(id);
            return id;
        }

        return IsOperator ? null : Key.TenantId;
    }

    /// <summary>Throws 403 operator_only unless the caller is the operator; <paramref name="action"/> completes "may only …".</summary>
    public void RequireOperator(string action)
    {
        if (!IsOperator)
            throw new ApiRequestException(StatusCodes.Status403Forbidden, "operator_only", $"Only an admin key of the operator's (default) tenant may {action}.");
    }

    /// <summary>The 404 for a tenant that does not exist, or that the caller may not see (the same answer on purpose).</summary>
    public static ApiRequestException TenantNotFound(Guid tenantId) => NotFound("tenant", tenantId.ToString());

    /// <summary>The 404 <c>{kind}_not_found</c> for an id that names nothing the caller may see.</summary>
    public static ApiRequestException NotFound(string kind, string id) =>
        new(StatusCodes.Status404NotFound, kind + "_not_found", $"No {kind} with id {id}.");

    /// <summary>A <c>tenant_id</c> query parameter: null when absent or empty, else a UUID (400 otherwise).</summary>
    public static Guid? ParseTenantId(string? text) =>
        string.IsNullOrEmpty(text) ? null
        : Guid.TryParse(text, out var id) ? id
        : throw ApiRequestException.Invalid("tenant_id must be a tenant's id (a UUID).");
}
