using CallWaiting.Server.ApiKeys;
using CallWaiting.Server.Auth;
using CallWaiting.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CallWaiting.Server.Admin;

/// <summary>
/// The wiring every admin area shares. Each area has its own <c>MapAdminX(this RouteGroupBuilder v1)</c> that maps its
/// endpoints on <see cref="MapAdminGroup"/> and is called once from CallWaitingServer; its handlers take the caller from
/// <see cref="AdminCaller.Of"/> and ask it which tenants they may touch.
/// </summary>
public static class AdminRoutes
{
    /// <summary>
    /// /v1/admin on the /v1 group (whose filter authenticates by key or session): the <c>admin</c> scope, the OpenAPI tag
    /// "Admin", and the services' refusals (bad input, unknown ids, conflicts) answered as the API's JSON errors.
    /// </summary>
    public static RouteGroupBuilder MapAdminGroup(this RouteGroupBuilder v1)
    {
        ArgumentNullException.ThrowIfNull(v1);
        var admin = v1.MapGroup("/admin").WithTags("Admin").AddEndpointFilter<ServiceErrorFilter>();
        admin.WithMetadata(new RequiredScope(Scopes.Admin));
        return admin;
    }

    /// <summary>The statuses every admin endpoint may answer besides its own, for OpenAPI.</summary>
    public static RouteHandlerBuilder ProducesAdminErrors(this RouteHandlerBuilder builder, params int[] more)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.ProducesApiErrors([StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden, StatusCodes.Status429TooManyRequests, .. more]);
    }
}
