using System.Data.Common;
using System.Text;
using CallWaiting.Server.ApiKeys;
using CallWaiting.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;

namespace CallWaiting.Server.Admin;

/// <summary>GET /v1/admin/usage: usage analytics per day, tenant or key, as JSON or CSV.</summary>
public static class AdminUsageEndpoints
{
    /// <summary>Maps the endpoint on the /v1/admin group.</summary>
    public static void MapAdminUsage(this RouteGroupBuilder v1)
    {
        v1.MapAdminGroup().MapGet("/usage", GetAsync)
            .WithName("GetAdminUsage")
            .WithSummary("Usage analytics")
            .WithDescription("""
                Requests, characters, audio seconds, errors, error rate and latency percentiles (p50/p95/p99, nearest rank)
                over whole UTC days from..to (YYYY-MM-DD, both included, at most 90 days; default the last 30), grouped by
                day, tenant or key (group_by), filtered by tenant_id and api_key_id. Requests, errors and latency count every
                logged /v1 request (errors: status 400 or more); characters and audio seconds are what was charged.
                format=csv or Accept: text/csv answers the same rows as a CSV download. A tenant's admin sees its own tenant.
                """)
            .Produces<IReadOnlyList<AdminUsageRow>>(StatusCodes.Status200OK, "application/json", "text/csv")
            .ProducesAdminErrors(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status503ServiceUnavailable);
    }

    private static async Task<IResult> GetAsync(HttpContext context, UsageReport report, ApiKeyRepository keys, TimeProvider time)
    {
        var caller = AdminCaller.Of(context);
        var reader = new AdminQueryReader(context.Request.Query);
        var csv = WantsCsv(context, reader.Text("format"));
        var query = UsageReportQuery.Read(reader, DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime));
        query = query with { TenantId = caller.ListingScope(query.TenantId) };
        await caller.RequireKeyAsync(keys, query.ApiKeyId, context.RequestAborted);
        try
        {
            var rows = await report.RunAsync(query, context.RequestAborted);
            return csv
                ? (IResult)TypedResults.File(Encoding.UTF8.GetBytes(UsageCsv.Write(query.GroupBy, rows)), "text/csv; charset=utf-8", UsageCsv.FileName(query))
                : TypedResults.Ok(rows);
        }
        catch (Exception e) when (e is DbException or TimeoutException)
        {
            context.Response.Headers.RetryAfter = "5";
            return ApiResults.Error(context, StatusCodes.Status503ServiceUnavailable, "database_unavailable", "Usage is unavailable right now; retry shortly.");
        }
    }

    /// <summary>format=csv|json wins; without it, an Accept that prefers text/csv to JSON asks for CSV.</summary>
    private static bool WantsCsv(HttpContext context, string? format) => format switch
    {
        "csv" => true,
        "json" => false,
        null => AcceptsCsv(context.Request.Headers.Accept),
        _ => throw AdminQueryReader.Refuse("invalid_format", "Query parameter 'format' must be json or csv."),
    };

    private static bool AcceptsCsv(IList<string> accept) =>
        MediaTypeHeaderValue.TryParseList(accept, out var types) && types
            .Where(t => t.MediaType.Equals("text/csv", StringComparison.OrdinalIgnoreCase) || t.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase))
            .OrderByDescending(t => t.Quality ?? 1)
            .FirstOrDefault()?.MediaType.Equals("text/csv", StringComparison.OrdinalIgnoreCase) == true;
}
