using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CallWaiting.Server.Hosting;

/// <summary>Builds JSON error responses in the contract's shape (<c>{"detail": …}</c>), never with a stack trace.</summary>
public static class ApiResults
{
    /// <summary>An error result with the given status, code and message.</summary>
    public static JsonHttpResult<ApiError> Error(HttpContext context, int status, string code, string detail) =>
        TypedResults.Json(new ApiError(detail, code, context.TraceIdentifier), ServerJson.Default.ApiError, statusCode: status);

    /// <summary>Writes an error directly (for middleware that runs outside endpoint results).</summary>
    public static Task WriteErrorAsync(HttpContext context, int status, string code, string detail)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new ApiError(detail, code, context.TraceIdentifier), ServerJson.Default.ApiError, contentType: "application/json", context.RequestAborted);
    }
}
