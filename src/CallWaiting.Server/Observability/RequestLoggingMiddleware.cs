using System.Diagnostics;
using CallWaiting.Server.Auth;
using CallWaiting.Server.Storage;
using CallWaiting.Server.Usage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace CallWaiting.Server.Observability;

/// <summary>
/// Ends every request with one structured log line (request id from the scope, tenant, key prefix, never the
/// key, voice, characters, latency, status), one http_requests_total sample and, for /v1, one request_logs row.
/// </summary>
public sealed partial class RequestLoggingMiddleware(
    RequestDelegate next, ServerMetrics metrics, IApiMeter meter, TimeProvider time, ILogger<RequestLoggingMiddleware> logger)
{
    private const int MaxLoggedText = 256;

    /// <summary>Runs the request with a fresh <see cref="RequestTelemetry"/> and reports it when done.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        var telemetry = new RequestTelemetry();
        context.Features.Set(telemetry);
        ServerActivities.TagRequest(context);
        var arrived = time.GetUtcNow();
        var started = Stopwatch.GetTimestamp();
        try
        {
            await next(context);
        }
        finally
        {
            Report(context, telemetry, arrived, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }

    private void Report(HttpContext context, RequestTelemetry telemetry, DateTimeOffset arrived, double elapsedMs)
    {
        var request = context.Request;
        // 499 (nginx's "client closed request") when the client left before any answer.
        var status = context.RequestAborted.IsCancellationRequested && !context.Response.HasStarted ? 499 : context.Response.StatusCode;
        var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "unmatched";
        var method = KnownMethod(request.Method);
        metrics.HttpRequests.WithLabels(method, route, status.ToString(System.Globalization.CultureInfo.InvariantCulture)).Inc();

        var key = telemetry.Key;
        var path = Truncate(request.Path.Value ?? "/");
        LogRequest(logger, method, path, status, Math.Round(elapsedMs, 1), key?.TenantId, key?.KeyPrefix, telemetry.Voice, telemetry.Characters, telemetry.Cached, telemetry.Error);

        if (request.Path.StartsWithSegments("/v1"))
        {
            meter.Log(new RequestLogEntry(
                context.TraceIdentifier, key?.Id, key?.TenantId, route == "unmatched" ? path : route, method, status,
                telemetry.Voice is { } voice ? Truncate(voice) : null, telemetry.Characters, elapsedMs, telemetry.Error,
                ClientAddress.Of(context), Truncate(request.Headers.UserAgent.ToString()) is { Length: > 0 } agent ? agent : null,
                telemetry.Cached, arrived));
        }
    }

    private static string KnownMethod(string method) =>
        HttpMethods.IsGet(method) ? "GET" : HttpMethods.IsPost(method) ? "POST" : HttpMethods.IsHead(method) ? "HEAD"
        : HttpMethods.IsOptions(method) ? "OPTIONS" : HttpMethods.IsPut(method) ? "PUT" : HttpMethods.IsDelete(method) ? "DELETE"
        : HttpMethods.IsPatch(method) ? "PATCH" : "OTHER";

    private static string Truncate(string text) => text.Length <= MaxLoggedText ? text : text[..MaxLoggedText];

    [LoggerMessage(Level = LogLevel.Information, EventName = "Request",
        Message = "{Method} {Path} {Status} {ElapsedMs} ms tenant={TenantId} key={KeyPrefix} voice={Voice} characters={Characters} cached={Cached} error={Error}")]
    private static partial void LogRequest(ILogger logger, string method, string path, int status, double elapsedMs,
        Guid? tenantId, string? keyPrefix, string? voice, int? characters, bool cached, string? error);
}
