using CallWaiting.Server.Observability;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace CallWaiting.Server.Hosting;

/// <summary>Gives bodiless error statuses from routing (404 unknown route, 405 wrong method, …) the JSON error body.</summary>
public static class JsonStatusCodePages
{
    /// <summary>The status-code-pages handler.</summary>
    public static Task WriteAsync(StatusCodeContext statusContext)
    {
        var context = statusContext.HttpContext;
        var status = context.Response.StatusCode;
        var (code, detail) = status switch
        {
            StatusCodes.Status404NotFound => ("not_found", $"No endpoint at {context.Request.Path}."),
            StatusCodes.Status405MethodNotAllowed => ("method_not_allowed", $"{context.Request.Method} is not allowed on {context.Request.Path}."),
            StatusCodes.Status415UnsupportedMediaType => ("unsupported_media_type", "Unsupported content type."),
            StatusCodes.Status413PayloadTooLarge => ("payload_too_large", "The request body is too large."),
            _ when status >= 500 => ("internal_error", "An internal error occurred."),
            _ => ("error", "The request failed."),
        };
        context.Features.Get<RequestTelemetry>()?.Error = detail;
        return ApiResults.WriteErrorAsync(context, status, code, detail);
    }
}
