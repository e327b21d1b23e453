using CallWaiting.Server.ApiKeys;
using CallWaiting.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace CallWaiting.Server.Auth;

/// <summary>GET /v1/auth/verify: tells a client whether its key works and what it may do.</summary>
public static class AuthEndpoints
{
    /// <summary>Maps the endpoint on the /v1 group.</summary>
    public static void MapAuth(this RouteGroupBuilder v1)
    {
        v1.MapGet("/auth/verify", Verify)
            .WithName("VerifyKey")
            .WithSummary("Check an API key")
            .WithDescription("Any valid key; answers its id, name, tenant and scopes.")
            .ProducesApiErrors(StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden, StatusCodes.Status429TooManyRequests);
    }

    private static Ok<VerifyResponse> Verify(HttpContext context)
    {
        var key = ApiCaller.Of(context).Key;
        return TypedResults.Ok(new VerifyResponse(true, key.Id, key.Name, key.TenantId, Scopes.All.Where(key.Scopes.Contains).ToList()));
    }
}
