using System.Data.Common;
using CallWaiting.Server.ApiKeys;
using CallWaiting.Server.Hosting;
using CallWaiting.Server.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CallWaiting.Server.Admin;

/// <summary>GET /v1/admin/requests: the request log, searched by request id, key, status and time, newest first, a page at a time.</summary>
public static class AdminRequestLogEndpoints
{
    /// <summary>Maps the endpoint on the /v1/admin group.</summary>
    public static void MapAdminRequestLog(this RouteGroupBuilder v1)
    {
        v1.MapAdminGroup().MapGet("/requests", GetAsync)
            .WithName("SearchAdminRequests")
            .WithSummary("Request-log search")
            .WithDescription("""
                Logged /v1 requests, newest first, matching every given filter: request_id, tenant_id, api_key_id, status
                (404, 5xx or error), from and to (YYYY-MM-DD or ISO-8601 with an offset; to is exclusive and a day includes
                itself; at most 90 days apart). limit is 1-200 (default 50); pass next_before as before for the next page.
                A tenant's admin sees its own tenant's requests.
                """)
            .Produces<AdminRequestLogPage>()
            .ProducesAdminErrors(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status503ServiceUnavailable);
    }

    private static async Task<IResult> GetAsync(HttpContext context, RequestLogRepository logs, ApiKeyRepository keys)
    {
        var caller = AdminCaller.Of(context);
        var filter = RequestLogSearch.Read(new AdminQueryReader(context.Request.Query));
        filter = filter with { TenantId = caller.ListingScope(filter.TenantId) };
        await caller.RequireKeyAsync(keys, filter.ApiKeyId, context.RequestAborted);
        try
        {
            // One row more than asked says whether an older page exists, without a count.
            var rows = await logs.SearchAsync(filter with { Limit = filter.Limit + 1 }, context.RequestAborted);
            var page = rows.Take(filter.Limit).ToList();
            var next = rows.Count > filter.Limit ? RequestLogCursor.Encode(page[^1].Entry.CreatedAt, page[^1].Id) : null;
            return TypedResults.Ok(new AdminRequestLogPage([.. page.Select(row => AdminRequestLogItem.From(row.Entry))], next));
        }
        catch (Exception e) when (e is DbException or TimeoutException)
        {
            context.Response.Headers.RetryAfter = "5";
            return ApiResults.Error(context, StatusCodes.Status503ServiceUnavailable, "database_unavailable", "The request log is unavailable right now; retry shortly.");
        }
    }
}
