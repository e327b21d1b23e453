using System.Collections.Concurrent;
using System.Data.Common;
using CallWaiting.Server.ApiKeys;
using CallWaiting.Server.Hosting;
using CallWaiting.Server.Observability;
using CallWaiting.Server.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace CallWaiting.Server.Auth;

/// <summary>
/// Guards every /v1 endpoint, in this order: the per-IP limit (before any key work, against guessing and floods),
/// the failed-authentication budget of the IP, the key itself (401 unknown, 403 revoked/suspended/expired), the
/// key's allowed origins, the key's own minute/day limits (X-RateLimit-* on every response from here on), and
/// the endpoint's scope.
/// </summary>
public sealed class ApiKeyFilter(
    ApiKeyVerifier verifier,
    IRateLimiter limiter,
    RateLimitOptions limits,
    LastUsedTracker lastUsed) : IEndpointFilter
{
    private readonly ConcurrentDictionary<(int PerMinute, int PerDay), RateLimitPolicy> _keyPolicies = new();

    /// <inheritdoc />
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var context = invocation.HttpContext;
        var ct = context.RequestAborted;
        var ip = ClientAddress.Of(context);

        var perIp = await limiter.AcquireAsync(limits.IpPolicy, ip, ct);
        if (!perIp.Allowed) return Refuse(context, perIp);

        var presented = PresentedKey(context.Request.Headers);
        if (presented is null)
            return Fail(context, StatusCodes.Status401Unauthorized, "missing_api_key", "Missing API key: send it in the x-api-key header or as Authorization: Bearer.");

        var failures = await limiter.PeekAsync(limits.FailedAuthPolicy, ip, ct);
        if (!failures.Allowed) return Refuse(context, failures);

        ApiKeyVerification verification;
        try
        {
            verification = await verifier.VerifyAsync(presented, ct);
        }
        catch (Exception e) when (e is DbException or TimeoutException)
        {
            context.Response.Headers.RetryAfter = "5";
            return Fail(context, StatusCodes.Status503ServiceUnavailable, "auth_unavailable", "API keys cannot be checked right now; retry shortly.");
        }

        if (verification.Status == ApiKeyVerificationStatus.Unknown)
        {
            await limiter.AcquireAsync(limits.FailedAuthPolicy, ip, ct);
            return Fail(context, StatusCodes.Status401Unauthorized, "invalid_api_key", verification.Detail);
        }

        if (!verification.IsValid)
            return Fail(context, StatusCodes.Status403Forbidden, "api_key_" + verification.Status.ToString().ToLowerInvariant(), verification.Detail);

        var key = verification.Key!;
        context.Features.Get<RequestTelemetry>()?.Key = key;

        var decision = await limiter.AcquireAsync(PolicyFor(key), RateLimitOptions.ApiKeySubject(key.Id), ct);
        RateLimitHeaders.Apply(context.Response, decision);
        if (!decision.Allowed)
            return Fail(context, StatusCodes.Status429TooManyRequests, "rate_limited", decision.Message!);

        if (!OriginAllowed(context, key))
            return Fail(context, StatusCodes.Status403Forbidden, "origin_not_allowed", "This API key may not be used from this origin.");

        if (context.GetEndpoint()?.Metadata.GetMetadata<RequiredScope>() is { } required && !key.HasScope(required.Scope))
            return Fail(context, StatusCodes.Status403Forbidden, "insufficient_scope", $"API key lacks the required scope '{required.Scope}'.");

        lastUsed.Touch(key.Id);
        context.Features.Set(new ApiCaller(key));
        return await next(invocation);
    }

    /// <summary>The key from x-api-key or Authorization: Bearer (x-api-key wins); null when neither is present.</summary>
    internal static string? PresentedKey(IHeaderDictionary headers)
    {
        if (headers.TryGetValue("x-api-key", out var apiKey) && !StringValues.IsNullOrEmpty(apiKey))
            return apiKey.ToString().Trim();
        var authorization = headers.Authorization.ToString();
        const string bearer = "Bearer ";
        return authorization.StartsWith(bearer, StringComparison.OrdinalIgnoreCase) ? authorization[bearer.Length..].Trim() : null;
    }

    private RateLimitPolicy PolicyFor(ApiKey key) =>
        _keyPolicies.GetOrAdd((key.RateLimitPerMin, key.RateLimitPerDay), static (l, options) => options.ForApiKey(l.PerMinute, l.PerDay), limits);

    // A key with allowed origins may only be used by browsers on them; a granted origin gets CORS headers for the key.
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

    private static IResult Refuse(HttpContext context, in RateLimitDecision decision)
    {
        RateLimitHeaders.Apply(context.Response, decision);
        return Fail(context, StatusCodes.Status429TooManyRequests, "rate_limited", decision.Message!);
    }

    private static IResult Fail(HttpContext context, int status, string code, string detail)
    {
        context.Features.Get<RequestTelemetry>()?.Error = detail;
        return ApiResults.Error(context, status, code, detail);
    }
}
