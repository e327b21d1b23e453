using CallWaiting.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CallWaiting.Server.Admin;

/// <summary>GET /v1/admin/audit?tenant_id=&amp;limit=&amp;before=: the changes made through the admin API, newest first.</summary>
public static class AdminAuditEndpoints
{
    private const int DefaultLimit = 100;

    /// <summary>Maps the endpoint on the /v1 group.</summary>
    public static void MapAdminAudit(this RouteGroupBuilder v1)
    {
        v1.MapAdminGroup().MapGet("/audit", ListAsync)
            .WithName("AdminAudit")
            .WithSummary("The admin audit log")
            .WithDescription($"Newest first, at most limit (1-{AuditLog.MaxPage}, default {DefaultLimit}) entries older than the entry id before; the operator sees every tenant's, anyone else only its own tenant's.")
            .Produces<IReadOnlyList<AuditEntry>>()
            .ProducesAdminErrors(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound);
    }

    private static async Task<IResult> ListAsync(HttpContext context, AuditLog log, [Microsoft.AspNetCore.Mvc.FromQuery(Name = "tenant_id")] string? tenantId, string? limit, string? before)
    {
        var scope = AdminCaller.Of(context).ListingScope(AdminCaller.ParseTenantId(tenantId));
        var count = limit is null ? DefaultLimit
            : int.TryParse(limit, out var n) && n is >= 1 and <= AuditLog.MaxPage ? n
            : throw ApiRequestException.Invalid($"limit must be a whole number from 1 to {AuditLog.MaxPage}.");
        long? cursor = before is null ? null
            : long.TryParse(before, out var id) && id > 0 ? id
            : throw ApiRequestException.Invalid("before must be the id of an audit entry.");
        return TypedResults.Ok(await log.ListAsync(scope, count, cursor, context.RequestAborted));
    }
}
