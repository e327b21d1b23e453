using System.Data.Common;
using System.Globalization;
using CallWaiting.Server.ApiKeys;
using CallWaiting.Server.Auth;
using CallWaiting.Server.Hosting;
using CallWaiting.Server.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace CallWaiting.Server.Usage;

/// <summary>GET /v1/usage?days=7: the calling key's daily usage, newest first.</summary>
public static class UsageEndpoints
{
    /// <summary>Fewest days a report may cover.</summary>
    public const int MinDays = 1;

    /// <summary>Most days a report may cover.</summary>
    public const int MaxDays = 90;

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

    private static async Task<Results<Ok<IEnumerable<UsageDayResponse>>, JsonHttpResult<ApiError>>> GetAsync(HttpContext context, UsageRepository usage)
    {
        // Read by hand: a binder failure on "?days=abc" would not produce the contract's JSON error.
        var days = 7;
        var raw = context.Request.Query["days"];
        if (raw.Count > 0 && (raw.Count > 1 || !int.TryParse(raw[0], NumberStyles.None, CultureInfo.InvariantCulture, out days) || days is < MinDays or > MaxDays))
            return ApiResults.Error(context, StatusCodes.Status400BadRequest, "invalid_days", $"Query parameter 'days' must be an integer from {MinDays} to {MaxDays}.");

        try
        {
            var rows = await usage.GetDailyForKeyAsync(ApiCaller.Of(context).Key.Id, days, context.RequestAborted);
            return TypedResults.Ok(rows.Select(row => new UsageDayResponse(
                row.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), row.Requests, row.Characters, Math.Round(row.AvgLatencyMs, 1))));
        }
        catch (Exception e) when (e is DbException or TimeoutException)
        {
            context.Response.Headers.RetryAfter = "5";
            return ApiResults.Error(context, StatusCodes.Status503ServiceUnavailable, "database_unavailable", "Usage is unavailable right now; retry shortly.");
        }
    }
}
