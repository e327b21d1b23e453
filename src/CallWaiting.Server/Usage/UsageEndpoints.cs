using System.Data.Common;
using System.Globalization;
using CallWaiting.Server.ApiKeys;
using CallWaiting.Server.Auth;
using CallWaiting.Server.Hosting;
using CallWaiting.Server.Metering;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace CallWaiting.Server.Usage;

/// <summary>GET /v1/usage?days=7: the calling key's daily usage, newest first.</summary>
public static class UsageEndpoints
{
    /// <summary>Maps the endpoint on the /v1 group.</summary>
    public static void MapUsage(this RouteGroupBuilder v1)
    {
        v1.MapGet("/usage", GetAsync)
            .RequireScope(Scopes.UsageRead)
            .WithName("GetUsage")
            .WithSummary("Daily usage of the calling key")
            .WithDescription("One row per UTC day with requests, characters and mean latency, newest first; days 1-90 (default 7). Needs usage:read.")
            .ProducesApiErrors(StatusCodes.Status400BadRequest, StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden, StatusCodes.Status429TooManyRequests);
    }

    private static async Task<Results<Ok<IReadOnlyList<UsageReportRow>>, ProblemHttpResult>> GetAsync(HttpContext context, UsageQuery usage)
    {
        // Read by hand: a binder failure on "?days=abc" would not produce the contract's JSON error.
        var days = UsageQuery.DefaultDays;
        var raw = context.Request.Query["days"];
        if (raw.Count > 0 && (raw.Count > 1 || !int.TryParse(raw[0], NumberStyles.None, CultureInfo.InvariantCulture, out days) || !UsageQuery.IsValidDays(days)))
            return ApiResults.Error(context, StatusCodes.Status400BadRequest, "invalid_days", $"Query parameter 'days' must be an integer from {UsageQuery.MinDays} to {UsageQuery.MaxDays}.");

        try
        {
            return TypedResults.Ok(await usage.ForApiKeyAsync(ApiCaller.Of(context).Key.Id, days, context.RequestAborted));
        }
        catch (Exception e) when (e is DbException or TimeoutException)
        {
            context.Response.Headers.RetryAfter = "5";
            return ApiResults.Error(context, StatusCodes.Status503ServiceUnavailable, "database_unavailable", "Usage is unavailable right now; retry shortly.");
        }
    }
}
