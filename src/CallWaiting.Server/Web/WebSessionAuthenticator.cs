using CallWaiting.Server.Auth;
using CallWaiting.Server.Observability;
using CallWaiting.Server.Realtime;
using Microsoft.AspNetCore.Http;

namespace CallWaiting.Server.Web;

/// <summary>
/// A web session as the credential of a request: the same per-IP limit and failed-authentication budget as a key (a
/// forged cookie counts as a failed authentication), then the signed session, its CSRF token (for /v1 requests), and
/// the key it names, read again on every request through <see cref="TokenCallerAuthenticator"/>: a revoked, suspended
/// or expired key ends the session, and the key's limits, scopes, allowed origins and metering apply as for a header key.
/// </summary>
public sealed class WebSessionAuthenticator(
    ApiKeyAuthenticator keys, WebSessionTokens tokens, TokenCallerAuthenticator callers, TimeProvider time)
{
    /// <summary>The request header that carries a session's CSRF token.</summary>
    public const string CsrfHeader = "X-CSRF-Token";

    /// <summary>
    /// For a /v1 request without a key header: null when the session cookie, its <see cref="CsrfHeader"/> and its key
    /// admit the caller for <paramref name="scope"/> (null: any); otherwise the JSON error (401 forged, 403 expired,
    /// 403 csrf_failed, 403 for an unusable key, 429).
    /// </summary>
    public async ValueTask<IResult?> AuthenticateAsync(HttpContext context, string? scope)
    {
        ArgumentNullException.ThrowIfNull(context);
        using var auth = ServerActivities.Start("auth", context);
        var (claims, refused) = await ReadAsync(context);
        if (refused is not null) return refused;
        if (claims is null)
            return Fail(context, StatusCodes.Status401Unauthorized, "invalid_session", "The session cookie is not valid; log in again.");
        if (claims.ExpiresAt <= time.GetUtcNow())
            return Fail(context, StatusCodes.Status403Forbidden, "session_expired", "The session has expired; log in again.");
        if (!tokens.CsrfMatches(claims, context.Request.Headers[CsrfHeader].ToString()))
            return Fail(context, StatusCodes.Status403Forbidden, "csrf_failed", $"A request made with a session needs its {CsrfHeader} header (from POST or GET /web/session).");
        return await callers.AuthenticateAsync(context, claims.KeyId, claims.TenantId, scope, time.GetUtcNow());
    }

    /// <summary>
    /// For GET /web/session: the session's claims when its cookie is genuine, unexpired and its key still usable (the key
    /// is then the <see cref="ApiCaller"/>); null claims and no refusal when there is no live session; or the refusal.
    /// </summary>
    public async ValueTask<(WebSessionClaims? Claims, IResult? Refusal)> CurrentAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!WebSessionCookie.IsPresent(context.Request)) return (null, null);
        var (claims, refused) = await ReadAsync(context);
        if (refused is not null) return (null, refused);
        if (claims is null || claims.ExpiresAt <= time.GetUtcNow()) return (null, null);
        refused = await callers.AuthenticateAsync(context, claims.KeyId, claims.TenantId, null, time.GetUtcNow());
        return refused is null ? (claims, null) : (null, refused);
    }

    /// <summary>The genuine session's claims (even expired), without address checks or key lookups: for logging out.</summary>
    public WebSessionClaims? Peek(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        tokens.Verify(WebSessionCookie.Read(context.Request), out var claims);
        return claims;
    }

    /// <summary>Whether the request's <see cref="CsrfHeader"/> is the session's CSRF token.</summary>
    public bool CsrfMatches(HttpContext context, WebSessionClaims claims)
    {
        ArgumentNullException.ThrowIfNull(context);
        return tokens.CsrfMatches(claims, context.Request.Headers[CsrfHeader].ToString());
    }

    // The address checks every credential passes, then the signature: claims (even expired) of a genuine cookie, null claims
    // for a forged one (counted against the address's failed-authentication budget), or a 429.
    private async ValueTask<(WebSessionClaims? Claims, IResult? Refusal)> ReadAsync(HttpContext context)
    {
        var ip = ClientAddress.Of(context);
        var (perIp, failures) = await keys.CheckAddressAsync(ip, context.RequestAborted);
        if (!perIp.Allowed) return (null, ApiKeyAuthenticator.Refuse(context, perIp));
        if (!failures.Allowed) return (null, keys.RefuseFailedAuth(context, failures));
        if (tokens.Verify(WebSessionCookie.Read(context.Request), out var claims) == TokenCheck.Invalid)
            await keys.CountFailureAsync(ip, context.RequestAborted);
        return (claims, null);
    }

    private static IResult Fail(HttpContext context, int status, string code, string detail) => ApiKeyAdmission.Fail(context, status, code, detail);
}
