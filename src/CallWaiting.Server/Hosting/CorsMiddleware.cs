using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace CallWaiting.Server.Hosting;

/// <summary>
/// CORS for browser clients. Preflights are answered for any origin, because what a browser may do is decided
/// on the real request: origins in <see cref="ApiOptions.CorsOrigins"/> get CORS headers on every response, and a
/// key's own allowed origins get them from the API key filter (which refuses other origins for such keys).
/// </summary>
public sealed class CorsMiddleware(RequestDelegate next, IOptions<ApiOptions> options)
{
    /// <summary>Response headers a browser client may read.</summary>
    public const string ExposedHeaders =
        "X-Request-ID, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset, Retry-After, X-Voice-ID, X-Voice-Fallback, X-Text-Length, Content-Disposition";

    private readonly HashSet<string> _origins = new(options.Value.CorsOrigins.Select(o => o.TrimEnd('/')), StringComparer.OrdinalIgnoreCase);

    /// <summary>Answers preflights; marks responses to configured origins.</summary>
    public Task InvokeAsync(HttpContext context)
    {
        var origin = context.Request.Headers.Origin;
        if (StringValues.IsNullOrEmpty(origin)) return next(context);

        var headers = context.Response.Headers;
        if (HttpMethods.IsOptions(context.Request.Method) && context.Request.Headers.ContainsKey("Access-Control-Request-Method"))
        {
            headers.AccessControlAllowOrigin = origin;
            headers.AccessControlAllowMethods = "GET, POST, OPTIONS";
            headers.AccessControlAllowHeaders = "x-api-key, authorization, content-type, x-request-id";
            headers.AccessControlMaxAge = "600";
            headers.Vary = "Origin";
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return Task.CompletedTask;
        }

        if (_origins.Contains(origin.ToString()))
        {
            headers.AccessControlAllowOrigin = origin;
            headers.AccessControlExposeHeaders = ExposedHeaders;
            headers.Vary = "Origin";
        }

        return next(context);
    }
}
