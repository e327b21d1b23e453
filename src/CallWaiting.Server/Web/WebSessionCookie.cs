using Microsoft.AspNetCore.Http;

namespace CallWaiting.Server.Web;

/// <summary>
/// The <c>cw_session</c> cookie: HttpOnly (scripts never see the session), SameSite=Strict (other sites' requests never
/// carry it), Path=/, and Secure whenever the request came over HTTPS, directly or through a trusted proxy.
/// </summary>
public static class WebSessionCookie
{
    /// <summary>The cookie's name.</summary>
    public const string Name = "cw_session";

    /// <summary>Whether the request carries a session cookie (valid or not).</summary>
    public static bool IsPresent(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Cookies.ContainsKey(Name);
    }

    /// <summary>The session token the request carries, or null.</summary>
    public static string? Read(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Cookies[Name];
    }

    /// <summary>Sets the cookie to <paramref name="token"/> until <paramref name="expiresAt"/>.</summary>
    public static void Write(HttpContext context, string token, DateTimeOffset expiresAt)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.Cookies.Append(Name, token, Options(context, expiresAt));
    }

    /// <summary>Tells the browser to drop the cookie.</summary>
    public static void Clear(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.Cookies.Delete(Name, Options(context, null));
    }

    private static CookieOptions Options(HttpContext context, DateTimeOffset? expiresAt) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Path = "/",
        Secure = context.Request.IsHttps,
        Expires = expiresAt,
        IsEssential = true,
    };
}
