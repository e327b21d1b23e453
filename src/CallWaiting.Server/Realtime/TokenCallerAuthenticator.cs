using System.Collections.Concurrent;
using System.Data.Common;
using CallWaiting.Server.ApiKeys;
using CallWaiting.Server.Auth;
using CallWaiting.Server.Hosting;
using CallWaiting.Server.Observability;
using CallWaiting.Server.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace CallWaiting.Server.Realtime;

/// <summary>
/// Authenticates a request by the API key a verified signed token names (WebSocket tokens, Twilio audio URLs), with
/// the same rules <see cref="ApiKeyFilter"/> applies to a presented key: the key must still exist for the token's
/// tenant and be active and unexpired, hold the scope, accept the browser origin, and be within its own minute/day
/// limits. The token proves possession of the key when it was minted; the key's current state is read here because
/// it may have been revoked since. On success the caller is set as <see cref="ApiCaller"/>, as the filter does.
/// </summary>
public sealed class TokenCallerAuthenticator(ApiKeyRepository keys, IRateLimiter limiter, RateLimitOptions limits, LastUsedTracker lastUsed)
{
    private readonly ConcurrentDictionary<(int PerMinute, int PerDay), RateLimitPolicy> _keyPolicies = new();

    /// <summary>Null when the caller may proceed; otherwise the JSON error to answer (403, 429 or 503).</summary>
    public async ValueTask<IResult?> AuthenticateAsync(HttpContext context, Guid keyId, Guid tenantId, string scope, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(context);
        var ct = context.RequestAborted;
        ApiKey? key;
        try
        {
            key = await keys.GetByIdAsync(keyId, ct);
        }
        catch (Exception e) when (e is DbException or TimeoutException)
        {
            context.Response.Headers.RetryAfter = "5";
            return Fail(context, StatusCodes.Status503ServiceUnavailable, "auth_unavailable", "API keys cannot be checked right now; retry shortly.");
        }

        if (key is null || key.TenantId != tenantId)
            return Fail(context, StatusCodes.Status403Forbidden, "api_key_unknown", "The API key behind this token no longer exists.");
        if (key.Status != ApiKeyStatus.Active || key.IsExpiredAt(now))
        {
            var state = key.Status == ApiKeyStatus.Active ? "expired" : key.Status.ToString().ToLowerInvariant();
            return Fail(context, StatusCodes.Status403Forbidden, "api_key_" + state, $"The API key behind this token is {state}.");
        }

        context.Features.Get<RequestTelemetry>()?.Key = key;
        if (!key.HasScope(scope))
            return Fail(context, StatusCodes.Status403Forbidden, "insufficient_scope", $"API key lacks the required scope '{scope}'.");
        if (!OriginAllowed(context, key))
            return Fail(context, StatusCodes.Status403Forbidden, "origin_not_allowed", "This API key may not be used from this origin.");

        var policy = _keyPolicies.GetOrAdd((key.RateLimitPerMin, key.RateLimitPerDay), static (l, o) => o.ForApiKey(l.PerMinute, l.PerDay), limits);
        var decision = await limiter.AcquireAsync(policy, RateLimitOptions.ApiKeySubject(key.Id), ct);
        RateLimitHeaders.Apply(context.Response, decision);
        if (!decision.Allowed) return Fail(context, StatusCodes.Status429TooManyRequests, "rate_limited", decision.Message!);

        lastUsed.Touch(key.Id);
        context.Features.Set(new ApiCaller(key));
        return null;
    }

    // WebSockets are not subject to CORS, so a key restricted to some origins must be refused from the others here.
    private static bool OriginAllowed(HttpContext context, ApiKey key)
    {
        var origin = context.Request.Headers.Origin;
        return StringValues.IsNullOrEmpty(origin) || key.AllowedOrigins.Count == 0
            || key.AllowedOrigins.Contains(origin.ToString(), StringComparer.OrdinalIgnoreCase);
    }

    private static IResult Fail(HttpContext context, int status, string code, string detail)
    {
        context.Features.Get<RequestTelemetry>()?.Error = detail;
        return ApiResults.Error(context, status, code, detail);
    }
}
