using System.Collections.Concurrent;
using CallWaiting.Server.ApiKeys;
using CallWaiting.Server.Hosting;
using CallWaiting.Server.Observability;
using CallWaiting.Server.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace CallWaiting.Server.Auth;

/// <summary>
/// The last step of every authentication (a presented key in <see cref="ApiKeyFilter"/>, a key named by a signed token
/// in <see cref="Realtime.TokenCallerAuthenticator"/>): admits a usable key for one request and scope, in this order:
/// the key's own minute/day limits (X-RateLimit-* on every response from here on), its allowed origins, the scope.
/// On success the key is the request's <see cref="ApiCaller"/> and its last use is noted.
/// </summary>
public sealed class ApiKeyAdmission(IRateLimiter limiter, RateLimitOptions limits, LastUsedTracker lastUsed)
{
    private readonly ConcurrentDictionary<(int PerMinute, int PerDay), RateLimitPolicy> _keyPolicies = new();

    /// <summary>Null when the caller may proceed; otherwise the error to answer (429 or 403). A null scope means any valid key.</summary>
    public async ValueTask<IResult?> AdmitAsync(HttpContext context, ApiKey key, string? scope)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(key);
        context.Features.Get<RequestTelemetry>()?.Key = key;

        var decision = await limiter.AcquireAsync(PolicyFor(key), RateLimitOptions.ApiKeySubject(key.Id), context.RequestAborted);
        RateLimitHeaders.Apply(context.Response, decision);
        if (!decision.Allowed)
            return Fail(context, StatusCodes.Status429TooManyRequests, "rate_limited", decision.Message!);

        if (!OriginAllowed(context, key))
            return Fail(context, StatusCodes.Status403Forbidden, "origin_not_allowed", "This API key may not be used from this origin.");

        if (scope is not null && !key.HasScope(scope))
            return Fail(context, StatusCodes.Status403Forbidden, "insufficient_scope", $"API key lacks the required scope '{scope}'.");

        lastUsed.Touch(key.Id);
        context.Features.Set(new ApiCaller(key));
        return null;
    }

    /// <summary>The error every authentication step answers with: noted in the request telemetry, shaped for the endpoint.</summary>
    internal static IResult Fail(HttpContext context, int status, string code, string detail)
    {
        context.Features.Get<RequestTelemetry>()?.Error = detail;
        ServerActivities.Refused(code);
        return ApiResults.ErrorFor(context, status, code, detail);
    }

    private RateLimitPolicy PolicyFor(ApiKey key) =>
        _keyPolicies.GetOrAdd((key.RateLimitPerMin, key.RateLimitPerDay), static (l, options) => options.ForApiKey(l.PerMinute, l.PerDay), limits);

    // A key with allowed origins may only be used by browsers on them (WebSockets included, which CORS does not cover);
    // a granted origin gets CORS headers for the key.
    private static bool OriginAllowed(HttpContext context, ApiKey key)
    {
        var origin = context.Request.Headers.Origin.ToString();
        if (origin.Length == 0 || key.AllowedOrigins.Count == 0) return true;
        if (!key.AllowedOrigins.Contains(origin, StringComparer.OrdinalIgnoreCase)) return false;
        var headers = context.Response.Headers;
        headers.AccessControlAllowOrigin = origin;
        headers.Vary = StringValues.Concat(headers.Vary, "Origin");
        headers.AccessControlExposeHeaders = CorsMiddleware.ExposedHeaders;
        return true;
    }
}
