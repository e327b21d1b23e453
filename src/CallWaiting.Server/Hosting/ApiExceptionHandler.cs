using CallWaiting.Server.Observability;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CallWaiting.Server.Hosting;

/// <summary>
/// Turns every failure that escapes an endpoint into the API's problem details: Kestrel's own request errors keep their
/// 4xx status (e.g. 413 for an oversized body), anything else is a 500 without internals, in the endpoint's error shape
/// (OpenAI's on its routes). A failure after the response started never reaches it: the framework rethrows, and Kestrel
/// ends the connection, so a client never gets an error glued onto audio.
/// </summary>
public sealed partial class ApiExceptionHandler(ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    /// <inheritdoc />
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var (status, code, detail) = exception switch
        {
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => (StatusCodes.Status413PayloadTooLarge, "payload_too_large", "The request body is too large."),
            BadHttpRequestException bad => (bad.StatusCode, "bad_request", "The request is malformed."),
            _ => (StatusCodes.Status500InternalServerError, "internal_error", "An internal error occurred; it has been logged."),
        };
        if (status >= 500) LogUnhandled(logger, exception, httpContext.Request.Method, httpContext.Request.Path);

        // The framework cleared the response and its endpoint; the endpoint decides the error's shape (OpenAI's routes).
        if (httpContext.Features.Get<IExceptionHandlerFeature>()?.Endpoint is { } endpoint) httpContext.SetEndpoint(endpoint);
        httpContext.Response.Headers[RequestIdMiddleware.Header] = httpContext.TraceIdentifier;
        httpContext.Features.Get<RequestTelemetry>()?.Error = detail;
        await ApiResults.WriteErrorAsync(httpContext, status, code, detail);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled error in {Method} {Path}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string method, string path);
}
