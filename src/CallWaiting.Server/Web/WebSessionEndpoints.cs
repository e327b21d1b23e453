using CallWaiting.Server.ApiKeys;
using CallWaiting.Server.Auth;
using CallWaiting.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CallWaiting.Server.Web;

/// <summary>
/// POST, GET and DELETE /web/session: a browser trades an API key for a signed session cookie and a CSRF token, reads
/// its session back after a reload, and logs out. The key is checked on the same path as a key header
/// (<see cref="ApiKeyAuthenticator"/>), so a wrong key is a 401 that spends the address's failed-authentication budget.
/// </summary>
public static class WebSessionEndpoints
{
    private const long MaxLoginBodyBytes = 4096;

    /// <summary>Maps the session endpoints (outside /v1: they are how a browser gets its credential).</summary>
    public static void MapWebSession(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var session = app.MapGroup("/web/session").AddEndpointFilter<ServiceErrorFilter>().WithTags("Web");
        session.MapPost("", LoginAsync)
            .WithName("WebLogin")
            .WithSummary("Log in with an API key")
            .WithDescription("Body {\"key\": \"cw_live_…\"}. Sets the HttpOnly cw_session cookie and answers the session with its CSRF token; any usable key may log in.")
            .ProducesApiErrors(StatusCodes.Status400BadRequest, StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden, StatusCodes.Status429TooManyRequests);
        session.MapGet("", CurrentAsync)
            .WithName("WebSession")
            .WithSummary("The current web session")
            .WithDescription("Answers the session (with its CSRF token) of the cw_session cookie; 401 no_session when there is none or it expired.")
            .ProducesApiErrors(StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden, StatusCodes.Status429TooManyRequests);
        session.MapDelete("", Logout)
            .WithName("WebLogout")
            .WithSummary("Log out")
            .WithDescription("Clears the cw_session cookie; needs the session's X-CSRF-Token header.")
            .ProducesApiErrors(StatusCodes.Status403Forbidden);
    }

    private static async Task<IResult> LoginAsync(HttpContext context, ApiKeyAuthenticator keys, WebSessionTokens tokens)
    {
        var presented = await ReadKeyAsync(context.Request, context.RequestAborted);
        if (await keys.AuthenticateAsync(context, presented, scope: null) is { } refused) return refused;

        var key = ApiCaller.Of(context).Key;
        var (token, claims) = tokens.Issue(key);
        WebSessionCookie.Write(context, token, claims.ExpiresAt);
        return Answer(context, key, claims, tokens);
    }

    private static async Task<IResult> CurrentAsync(HttpContext context, WebSessionAuthenticator sessions, WebSessionTokens tokens)
    {
        var (claims, refused) = await sessions.CurrentAsync(context);
        if (refused is not null) return refused;
        if (claims is null)
        {
            if (WebSessionCookie.IsPresent(context.Request)) WebSessionCookie.Clear(context);
            return ApiKeyAdmission.Fail(context, StatusCodes.Status401Unauthorized, "no_session", "Not logged in, or the session has expired.");
        }

        return Answer(context, ApiCaller.Of(context).Key, claims, tokens);
    }

    private static IResult Logout(HttpContext context, WebSessionAuthenticator sessions)
    {
        // A genuine session is ended only by its own pages; a forged or absent cookie is simply cleared.
        if (sessions.Peek(context) is { } claims && !sessions.CsrfMatches(context, claims))
            return ApiKeyAdmission.Fail(context, StatusCodes.Status403Forbidden, "csrf_failed", $"Logging out needs the session's {WebSessionAuthenticator.CsrfHeader} header.");
        WebSessionCookie.Clear(context);
        return TypedResults.NoContent();
    }

    private static IResult Answer(HttpContext context, ApiKey key, WebSessionClaims claims, WebSessionTokens tokens)
    {
        // The answer carries the CSRF token: no cache may keep it.
        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(new WebSessionResponse(
            key.Id, key.Name, key.TenantId, Scopes.All.Where(key.Scopes.Contains).ToList(), tokens.CsrfToken(claims), claims.ExpiresAt));
    }

    private static async Task<string> ReadKeyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var body = await JsonObjectBody.ReadAsync(request, MaxLoginBodyBytes, ["key"], cancellationToken);
        return body.String("key", required: true)!.Trim();
    }
}
