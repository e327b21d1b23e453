using CallWaiting.Server.Observability;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CallWaiting.Server.Hosting;

/// <summary>
/// Turns every failure that escapes an endpoint into the contract's JSON error: Kestrel's own request errors keep
/// their 4xx status (e.g. 413 for an oversized body), anything else is a 500 without internals. A failure after the
/// response started aborts the connection instead, so a client never gets JSON glued onto audio.
/// </summary>
public sealed partial class ErrorHandlingMiddleware(RequestDelegate next, ILogger<ErrorHandlingMiddleware> logger)
{
    /// <summary>Runs the rest of the pipeline under the handler.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; there is nobody to answer.
        }
        catch (BadHttpRequestException e) when (!context.Response.HasStarted)
        {
            var tooLarge = e.StatusCode == StatusCodes.Status413PayloadTooLarge;
            await WriteAsync(context, e.StatusCode, tooLarge ? "payload_too_large" : "bad_request",
                tooLarge ? "The request body is too large." : "The request is malformed.");
        }
        catch (Exception e)
        {
            LogUnhandled(logger, e, context.Request.Method, context.Request.Path);
            if (context.Response.HasStarted)
            {
                context.Abort();
                return;
            }

            await WriteAsync(context, StatusCodes.Status500InternalServerError, "internal_error", "An internal error occurred; it has been logged.");
        }
    }

    private static Task WriteAsync(HttpContext context, int status, string code, string detail)
    {
        context.Response.Clear();
        context.Response.Headers[RequestIdMiddleware.Header] = context.TraceIdentifier;
        context.Features.Get<RequestTelemetry>()?.Error = detail;
        return ApiResults.WriteErrorAsync(context, status, code, detail);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled error in {Method} {Path}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string method, string path);
}
