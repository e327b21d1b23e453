using CallWaiting.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace CallWaiting.Server.Health;

/// <summary>GET /health (always answers, with each component's state) and GET /ready (200 only when everything is up).</summary>
public static class HealthEndpoints
{
    /// <summary>Maps both endpoints; neither needs a key.</summary>
    public static void MapHealth(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("").WithTags("Health");
        group.MapGet("/health", HealthAsync)
            .WithName("Health")
            .WithSummary("Component health")
            .WithDescription("healthy when everything is up, degraded when the database or Redis is down but speech works, unhealthy (503) when speech is down.");
        group.MapGet("/ready", ReadyAsync)
            .WithName("Ready")
            .WithSummary("Readiness")
            .WithDescription("200 once the engines are warm and the database and Redis answer; 503 otherwise.")
            .ProducesApiErrors(StatusCodes.Status503ServiceUnavailable);
    }

    private static async Task<JsonHttpResult<HealthResponse>> HealthAsync(HealthProbe probe, TimeProvider time, CancellationToken cancellationToken)
    {
        var components = await probe.CheckAsync(cancellationToken);
        var status = components.OverallStatus();
        return TypedResults.Json(new HealthResponse(status, time.GetUtcNow(), components, probe.Engines(), probe.Models()), ServerJson.Default.HealthResponse,
            statusCode: status == "unhealthy" ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK);
    }

    private static async Task<Results<Ok<ReadyResponse>, ProblemHttpResult>> ReadyAsync(HttpContext context, HealthProbe probe)
    {
        var components = await probe.CheckAsync(context.RequestAborted);
        if (components is { TtsModel: true, Database: true, Redis: true }) return TypedResults.Ok(new ReadyResponse("ready", probe.Engines(), probe.Models()));
        var missing = new[] { (components.TtsModel, "speech engines"), (components.Database, "database"), (components.Redis, "redis") }
            .Where(c => !c.Item1).Select(c => c.Item2);
        context.Response.Headers.RetryAfter = "2";
        return ApiResults.Error(context, StatusCodes.Status503ServiceUnavailable, "not_ready", $"Not ready: {string.Join(", ", missing)} unavailable.");
    }
}
