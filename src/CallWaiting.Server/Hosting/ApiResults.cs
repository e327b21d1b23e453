using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CallWaiting.Server.Hosting;

/// <summary>Builds JSON error responses in the contract's shape (<c>{"detail": …}</c>, or an endpoint's own <see cref="IApiErrorFormat"/>), never with a stack trace.</summary>
public static class ApiResults
{
    /// <summary>An error result with the given status, code and message.</summary>
    public static JsonHttpResult<ApiError> Error(HttpContext context, int status, string code, string detail) =>
        TypedResults.Json(new ApiError(detail, code, context.TraceIdentifier), ServerJson.Default.ApiError, statusCode: status);

    /// <summary>An error in the endpoint's own shape when it declares an <see cref="IApiErrorFormat"/>, else the contract's.</summary>
    public static IResult ErrorFor(HttpContext context, int status, string code, string detail) =>
        FormatOf(context) is { } format ? format.Error(context, status, code, detail) : Error(context, status, code, detail);

    /// <summary>Writes an error directly (for middleware that runs outside endpoint results), in the endpoint's shape.</summary>
    public static Task WriteErrorAsync(HttpContext context, int status, string code, string detail)
    {
        if (FormatOf(context) is { } format) return format.WriteAsync(context, status, code, detail);
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new ApiError(detail, code, context.TraceIdentifier), ServerJson.Default.ApiError, contentType: "application/json", context.RequestAborted);
    }

    private static IApiErrorFormat? FormatOf(HttpContext context) => context.GetEndpoint()?.Metadata.GetMetadata<IApiErrorFormat>();
}
