using System.Globalization;
using CallWaiting.Server.RateLimiting;
using Microsoft.AspNetCore.Http;

namespace CallWaiting.Server.Auth;

/// <summary>Writes X-RateLimit-Limit/Remaining/Reset (and Retry-After when refused) from a decision.</summary>
public static class RateLimitHeaders
{
    /// <summary>Sets the headers on a response that has not started.</summary>
    public static void Apply(HttpResponse response, in RateLimitDecision decision)
    {
        var headers = response.Headers;
        headers["X-RateLimit-Limit"] = decision.Limit.ToString(CultureInfo.InvariantCulture);
        headers["X-RateLimit-Remaining"] = decision.Remaining.ToString(CultureInfo.InvariantCulture);
        headers["X-RateLimit-Reset"] = decision.ResetUnixSeconds.ToString(CultureInfo.InvariantCulture);
        if (!decision.Allowed) headers.RetryAfter = decision.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
    }
}
