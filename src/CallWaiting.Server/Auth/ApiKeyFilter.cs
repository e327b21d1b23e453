using System.Data.Common;
using CallWaiting.Server.ApiKeys;
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
    ApiKeyAdmission admission) : IEndpointFilter
{
    /// <inheritdoc />
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var context = invocation.HttpContext;
        var ct = context.RequestAborted;
        var ip = ClientAddress.Of(context);

        var (perIp, failures) = await CheckAddressAsync(limiter, limits, ip, ct);
        if (!perIp.Allowed) return Refuse(context, perIp);

        var presented = PresentedKey(context.Request.Headers);
        if (presented is null)
            return Fail(context, StatusCodes.Status401Unauthorized, "missing_api_key", "Missing API key: send it in the x-api-key header or as Authorization: Bearer.");
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

        var refused = await admission.AdmitAsync(context, verification.Key!, context.GetEndpoint()?.Metadata.GetMetadata<RequiredScope>()?.Scope);
        return refused ?? await next(invocation);
    }

    /// <summary>
    /// Takes one request from the address's per-IP limit and reads (without consuming) its failed-auth budget. Both
    /// leave together, so Redis answers them in one round trip; the peek consumes nothing, so asking it for a request
    /// that the first check refuses costs no budget.
    /// </summary>
    internal static async ValueTask<(RateLimitDecision PerIp, RateLimitDecision FailedAuth)> CheckAddressAsync(
        IRateLimiter limiter, RateLimitOptions limits, string ip, CancellationToken cancellationToken)
    {
        var perIp = limiter.AcquireAsync(limits.IpPolicy, ip, cancellationToken);
        var failures = limiter.PeekAsync(limits.FailedAuthPolicy, ip, cancellationToken);
        return (await perIp, await failures);
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

    /// <summary>A 429 for a refused IP-level limit, with its X-RateLimit-* headers.</summary>
    internal static IResult Refuse(HttpContext context, in RateLimitDecision decision)
    {
        RateLimitHeaders.Apply(context.Response, decision);
        return Fail(context, StatusCodes.Status429TooManyRequests, "rate_limited", decision.Message!);
    }

    private static IResult Fail(HttpContext context, int status, string code, string detail) => ApiKeyAdmission.Fail(context, status, code, detail);
}
