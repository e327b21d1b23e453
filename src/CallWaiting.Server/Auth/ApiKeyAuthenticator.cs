using System.Data.Common;
using CallWaiting.Server.ApiKeys;
using CallWaiting.Server.Observability;
using CallWaiting.Server.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace CallWaiting.Server.Auth;

/// <summary>
/// The one path a presented API key takes, whether it came in a header (<see cref="ApiKeyFilter"/>) or in a web login
/// (POST /web/session), in this order: the per-IP limit (before any key work, against guessing and floods), the
/// failed-authentication budget of the IP, the key itself (401 unknown, 403 revoked/suspended/expired), then
/// <see cref="ApiKeyAdmission"/> (the key's own limits, allowed origins, scope). A key the verifier cannot answer from
/// memory also needs its prefix's failure budget and a free verification slot before scrypt runs; a cached key needs
/// neither, so an attack never delays it. Every other credential (signed tokens, sessions) passes the same address checks.
/// </summary>
public sealed class ApiKeyAuthenticator(
    ApiKeyVerifier verifier,
    IRateLimiter limiter,
    RateLimitOptions limits,
    ApiKeyAdmission admission,
    ApiKeyVerificationMetrics metrics,
    RateLimitMetrics rateLimitMetrics)
{
    /// <summary>
    /// Null when <paramref name="presented"/> (null: none was sent) is a usable key with <paramref name="scope"/> (null: any),
    /// which is then the request's <see cref="ApiCaller"/>; otherwise the JSON error to answer.
    /// </summary>
    public async ValueTask<IResult?> AuthenticateAsync(HttpContext context, string? presented, string? scope)
    {
        ArgumentNullException.ThrowIfNull(context);
        using var auth = ServerActivities.Start("auth", context);
        var ct = context.RequestAborted;
        var ip = ClientAddress.Of(context);

        RateLimitDecision perIp, failures;
        using (ServerActivities.Start("auth.address_limits", context)) (perIp, failures) = await CheckAddressAsync(ip, ct);
        if (!perIp.Allowed) return Refuse(context, perIp);

        if (presented is null)
            return Fail(context, StatusCodes.Status401Unauthorized, "missing_api_key", "Missing API key: send it in the x-api-key header or as Authorization: Bearer.");
        if (!failures.Allowed) return RefuseFailedAuth(context, failures);

        ApiKeyVerification verification;
        using (var verify = ServerActivities.Start("auth.verify_key", context))
        {
            var fromMemory = verifier.TryVerifyFromMemory(presented, out verification);
            verify?.SetTag(ServerActivities.Verification, fromMemory ? "memory" : "scrypt");
            if (!fromMemory)
            {
                var (verified, refusal) = await VerifyWithinBudgetAsync(context, presented, ip, ct);
                if (refusal is not null) return refusal;
                verification = verified!;
            }
            else if (verification.Status == ApiKeyVerificationStatus.Unknown)
            {
                await CountFailureAsync(ip, ct);
            }
        }

        if (verification.Status == ApiKeyVerificationStatus.Unknown)
            return Fail(context, StatusCodes.Status401Unauthorized, "invalid_api_key", verification.Detail);

        if (!verification.IsValid)
            return Fail(context, StatusCodes.Status403Forbidden, "api_key_" + verification.Status.ToString().ToLowerInvariant(), verification.Detail);

        ServerActivities.TagTenant(auth, context, verification.Key!);
        using (ServerActivities.Start("auth.key_limits", context))
            return await admission.AdmitAsync(context, verification.Key!, scope);
    }

    /// <summary>
    /// Takes one request from the address's per-IP limit and reads (without consuming) its failed-auth budget. Both
    /// leave together, so Redis answers them in one round trip; the peek consumes nothing, so asking it for a request
    /// that the first check refuses costs no budget.
    /// </summary>
    public async ValueTask<(RateLimitDecision PerIp, RateLimitDecision FailedAuth)> CheckAddressAsync(string ip, CancellationToken cancellationToken)
    {
        var perIp = limiter.AcquireAsync(limits.IpPolicy, ip, cancellationToken);
        var failures = limiter.PeekAsync(limits.FailedAuthPolicy, ip, cancellationToken);
        return (await perIp, await failures);
    }

    /// <summary>Counts one failed authentication (a wrong key, a forged token or session) against the address's budget.</summary>
    public async ValueTask CountFailureAsync(string ip, CancellationToken cancellationToken) =>
        await limiter.AcquireAsync(limits.FailedAuthPolicy, ip, cancellationToken);

    /// <summary>The key from x-api-key or Authorization: Bearer (x-api-key wins); null when neither is present.</summary>
    public static string? PresentedKey(IHeaderDictionary headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        if (headers.TryGetValue("x-api-key", out var apiKey) && !StringValues.IsNullOrEmpty(apiKey))
            return apiKey.ToString().Trim();
        var authorization = headers.Authorization.ToString();
        const string bearer = "Bearer ";
        return authorization.StartsWith(bearer, StringComparison.OrdinalIgnoreCase) ? authorization[bearer.Length..].Trim() : null;
    }

    /// <summary>
    /// A 429 for an address whose failed-authentication budget is spent, counted in rate_limit_exceeded_total: the
    /// budget is only read (peeked) on the way in, which the limiter's own metrics do not see as a refusal.
    /// </summary>
    public IResult RefuseFailedAuth(HttpContext context, in RateLimitDecision failures)
    {
        rateLimitMetrics.Observe(limits.FailedAuthPolicy, failures);
        return Refuse(context, failures);
    }

    /// <summary>A 429 for a refused IP-level limit, with its X-RateLimit-* headers.</summary>
    public static IResult Refuse(HttpContext context, in RateLimitDecision decision)
    {
        ArgumentNullException.ThrowIfNull(context);
        RateLimitHeaders.Apply(context.Response, decision);
        return Fail(context, StatusCodes.Status429TooManyRequests, "rate_limited", decision.Message!);
    }

    /// <summary>
    /// The scrypt path, for a well-formed key not answered from memory: refused at once (429, whether or not the prefix
    /// exists) when its prefix spent its failure budget, unless this very key was valid here recently (so an attack on
    /// the prefix does not lock its holder out); else verified through the gate (503 when it is full, or when
    /// the database cannot answer). A verification that does not admit the key counts against the address's and the
    /// prefix's budgets. Returns the verification, or the refusal to answer instead.
    /// </summary>
    private async ValueTask<(ApiKeyVerification? Verification, IResult? Refusal)> VerifyWithinBudgetAsync(
        HttpContext context, string presented, string ip, CancellationToken ct)
    {
        var prefix = presented[..ApiKeyFormat.LookupPrefixLength];
        if (!verifier.WasRecentlyValid(presented))
        {
            var budget = await limiter.PeekAsync(limits.FailedAuthPerPrefixPolicy, prefix, ct);
            if (!budget.Allowed)
            {
                metrics.Count(ApiKeyVerificationMetrics.Throttled);
                rateLimitMetrics.Observe(limits.FailedAuthPerPrefixPolicy, budget);
                RateLimitHeaders.Apply(context.Response, budget);
                return (null, Fail(context, StatusCodes.Status429TooManyRequests, "rate_limited",
                    $"Too many failed authentications for this key: at most {budget.Limit} per {budget.Window.PeriodDescription}."));
            }
        }

        ApiKeyVerification verification;
        try
        {
            verification = await verifier.VerifyAsync(presented, ct);
        }
        catch (ApiKeyVerificationBusyException e)
        {
            context.Response.Headers.RetryAfter = "1";
            return (null, Fail(context, StatusCodes.Status503ServiceUnavailable, "auth_busy", e.Message));
        }
        catch (Exception e) when (e is DbException or TimeoutException)
        {
            context.Response.Headers.RetryAfter = "5";
            return (null, Fail(context, StatusCodes.Status503ServiceUnavailable, "auth_unavailable", "API keys cannot be checked right now; retry shortly."));
        }

        if (!verification.IsValid)
        {
            // Both budgets leave together; a 403 (genuine but unusable key) spends only the prefix's, as it did not guess.
            var perPrefix = limiter.AcquireAsync(limits.FailedAuthPerPrefixPolicy, prefix, ct);
            if (verification.Status == ApiKeyVerificationStatus.Unknown) await CountFailureAsync(ip, ct);
            await perPrefix;
        }

        return (verification, null);
    }

    private static IResult Fail(HttpContext context, int status, string code, string detail) => ApiKeyAdmission.Fail(context, status, code, detail);
}
