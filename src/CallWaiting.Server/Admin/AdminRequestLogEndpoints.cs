using System.Data.Common;
using CallWaiting.Server.ApiKeys;
using CallWaiting.Server.Auth;
using CallWaiting.Server.Hosting;
using CallWaiting.Server.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CallWaiting.Server.Admin;

/// <summary>GET /v1/admin/requests: the request log, searched by request id, key, status and time, newest first, a page at a time.</summary>
public static class AdminRequestLogEndpoints
{
    /// <summary>Maps the endpoint on the /v1 group (scope admin).</summary>
    public static void MapAdminRequestLog(this RouteGroupBuilder v1)
    {
        v1.MapGet("/admin/requests", GetAsync)
            .RequireScope(Scopes.Admin)
            .WithTags("Admin")
            .WithName("SearchAdminRequests")
            .WithSummary("Request-log search")
            .WithDescription("""
                Logged /v1 requests, newest first, matching every given filter: request_id, tenant_id, api_key_id, status
                (404, 5xx or error), from and to (YYYY-MM-DD or ISO-8601 with an offset; to is exclusive and a day includes
                itself; at most 90 days apart). limit is 1-200 (default 50); pass next_before as before for the next page.
                A tenant's admin sees its own tenant's requests.
                """)
            .Produces<AdminRequestLogPage>()
            .ProducesApiErrors(StatusCodes.Status400BadRequest, StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden,
                StatusCodes.Status404NotFound, StatusCodes.Status429TooManyRequests, StatusCodes.Status503ServiceUnavailable);
    }

    private static async Task<IResult> GetAsync(HttpContext context, RequestLogRepository logs, InsightAccess access)
    {
        var caller = ApiCaller.Of(context).Key;
        try
        {
            var filter = RequestLogSearch.Read(new AdminQueryReader(context.Request.Query));
            filter = filter with { TenantId = InsightAccess.TenantFilter(caller, filter.TenantId) };
            await access.CheckKeyAsync(caller, filter.ApiKeyId, context.RequestAborted);

            // One row more than asked says whether an older page exists, without a count.
            var rows = await logs.SearchAsync(filter with { Limit = filter.Limit + 1 }, context.RequestAborted);
            var page = rows.Take(filter.Limit).ToList();
            var next = rows.Count > filter.Limit ? RequestLogCursor.Encode(page[^1].Entry.CreatedAt, page[^1].Id) : null;
            return TypedResults.Ok(new AdminRequestLogPage([.. page.Select(row => AdminRequestLogItem.From(row.Entry))], next));
        }
        catch (AdminRequestException e)
        {
            return ApiResults.Error(context, e.Status, e.Code, e.Message);
        }
        catch (Exception e) when (e is DbException or TimeoutException)
        {
            context.Response.Headers.RetryAfter = "5";
            return ApiResults.Error(context, StatusCodes.Status503ServiceUnavailable, "database_unavailable", "The request log is unavailable right now; retry shortly.");
        }
    }
}
