using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace CallWaiting.Server.Admin;

/// <summary>GET /v1/admin/system: engines, models, workers, queue, cache, database and Redis health, build (the operator only).</summary>
public static class AdminSystemEndpoints
{
    /// <summary>Maps the endpoint on the /v1/admin group.</summary>
    public static void MapAdminSystem(this RouteGroupBuilder v1)
    {
        v1.MapAdminGroup().MapGet("/system", GetAsync)
            .WithName("GetAdminSystem")
            .WithSummary("System status")
            .WithDescription("""
                This replica's engines and models, worker processes and their restarts, engine queue depth, audio cache hit
                rate, database and Redis health, metering backlog and build version: the sources /health and /metrics read.
                Only the operator's admin keys (the default tenant's) see it; another tenant's admin gets 403.
                """)
            .ProducesAdminErrors();
    }

    private static async Task<Ok<AdminSystemResponse>> GetAsync(HttpContext context, SystemReport report)
    {
        // Engines, file paths and hosts are the operator's business, not a customer's.
        AdminCaller.Of(context).RequireOperator("read the system status");
        return TypedResults.Ok(await report.BuildAsync(context.RequestAborted));
    }
}
