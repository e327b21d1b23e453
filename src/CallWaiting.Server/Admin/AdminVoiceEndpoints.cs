using CallWaiting.Server.Hosting;
using CallWaiting.Server.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CallWaiting.Server.Admin;

/// <summary>GET /v1/admin/voices?tenant_id=: the public catalog and a tenant's private voices (every tenant's, for the operator).</summary>
public static class AdminVoiceEndpoints
{
    /// <summary>Maps the endpoint on the /v1 group.</summary>
    public static void MapAdminVoices(this RouteGroupBuilder v1)
    {
        v1.MapAdminGroup().MapGet("/voices", ListAsync)
            .WithName("AdminListVoices")
            .WithSummary("List voices with their owners")
            .WithDescription("The public catalog plus the private voices of tenant_id (of every tenant when the operator names none; the caller's own otherwise).")
            .Produces<IReadOnlyList<AdminVoiceResponse>>()
            .ProducesAdminErrors(StatusCodes.Status404NotFound);
    }

    private static async Task<IResult> ListAsync(HttpContext context, VoiceRepository voices, [Microsoft.AspNetCore.Mvc.FromQuery(Name = "tenant_id")] string? tenantId)
    {
        var scope = AdminCaller.Of(context).ListingScope(AdminCaller.ParseTenantId(tenantId));
        var list = scope is { } owner
            ? await voices.ListVisibleAsync(owner, context.RequestAborted)
            : await voices.ListAllAsync(context.RequestAborted);
        return TypedResults.Ok(list.Select(AdminVoiceResponse.From).ToList());
    }
}
