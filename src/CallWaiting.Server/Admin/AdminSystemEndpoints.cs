using CallWaiting.Server.ApiKeys;
using CallWaiting.Server.Auth;
using CallWaiting.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace CallWaiting.Server.Admin;

/// <summary>GET /v1/admin/system: engines, models, workers, queue, cache, database and Redis health, build (the operator only).</summary>
public static class AdminSystemEndpoints
{
    /// <summary>Maps the endpoint on the /v1 group (scope admin, the default tenant's keys).</summary>
    public static void MapAdminSystem(this RouteGroupBuilder v1)
    {
        v1.MapGet("/admin/system", GetAsync)
            .RequireScope(Scopes.Admin)
            .WithTags("Admin")
            .WithName("GetAdminSystem")
            .WithSummary("System status")
            .WithDescription("""
                This replica's engines and models, worker processes and their restarts, engine queue depth, audio cache hit
                rate, database and Redis health, metering backlog and build version: the sources /health and /metrics read.
                Only the operator's admin keys (the default tenant's) see it; another tenant's admin gets 403.
                """)
            .ProducesApiErrors(StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden, StatusCodes.Status429TooManyRequests);
    }

    private static async Task<Results<Ok<AdminSystemResponse>, ProblemHttpResult>> GetAsync(HttpContext context, SystemReport report)
    {
        // Engines, paths and hosts are the operator's business, not a customer's: a tenant's admin is refused outright.
        if (!InsightAccess.IsOperator(ApiCaller.Of(context).Key))
            return ApiResults.Error(context, StatusCodes.Status403Forbidden, "operator_only", "Only the operator's admin keys may read the system status.");
        return TypedResults.Ok(await report.BuildAsync(context.RequestAborted));
    }
}
