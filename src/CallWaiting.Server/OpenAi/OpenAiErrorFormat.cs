using CallWaiting.Server.Hosting;
using CallWaiting.Server.Observability;
using Microsoft.AspNetCore.Http;

namespace CallWaiting.Server.OpenAi;

/// <summary>
/// Endpoint metadata of the OpenAI-compatible routes: every error on them, including the API-key filter's 401/403/429,
/// takes OpenAI's shape so that the OpenAI SDKs raise their typed errors (AuthenticationError, RateLimitError, …).
/// </summary>
public sealed class OpenAiErrorFormat : IApiErrorFormat
{
    /// <summary>The shared instance.</summary>
    public static OpenAiErrorFormat Instance { get; } = new();

    private OpenAiErrorFormat()
    {
    }

    /// <inheritdoc />
    public IResult Error(HttpContext context, int status, string code, string detail) => Result(context, status, detail, OpenAiCode(code), param: null);

    /// <inheritdoc />
    public Task WriteAsync(HttpContext context, int status, string code, string detail)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(Body(status, detail, OpenAiCode(code), param: null), OpenAiJson.Default.OpenAiErrorResponse,
            contentType: "application/json", context.RequestAborted);
    }

    /// <summary>An OpenAI-shaped error naming the request field at fault; records the message for the request log.</summary>
    public static IResult Result(HttpContext context, int status, string message, string? code, string? param)
    {
        context.Features.Get<RequestTelemetry>()?.Error = message;
        return TypedResults.Json(Body(status, message, code, param), OpenAiJson.Default.OpenAiErrorResponse, statusCode: status);
    }

    private static OpenAiErrorResponse Body(int status, string message, string? code, string? param) => new(new OpenAiError(message, TypeOf(status), param, code));

    // OpenAI reports request-rate limits with type "requests" and server faults with "server_error"; everything else the
    // caller can fix is an "invalid_request_error", including bad keys and missing permissions.
    private static string TypeOf(int status) => status switch
    {
        StatusCodes.Status429TooManyRequests => "requests",
        >= 500 => "server_error",
        _ => "invalid_request_error",
    };

    // Our codes stay, except where OpenAI has its own name for the same condition.
    private static string OpenAiCode(string code) => code switch
    {
        "rate_limited" => "rate_limit_exceeded",
        _ => code,
    };
}
