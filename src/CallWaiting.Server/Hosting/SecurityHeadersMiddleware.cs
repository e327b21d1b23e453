using CallWaiting.Server.Web;
using Microsoft.AspNetCore.Http;

namespace CallWaiting.Server.Hosting;

/// <summary>
/// Adds the headers a security review expects on every response. The API allows nothing; the web pages and their assets
/// load only their own origin's scripts and styles (no inline script or style); /docs gets a CSP its UI can live with.
/// </summary>
public sealed class SecurityHeadersMiddleware(RequestDelegate next)
{
    private const string ApiCsp = "default-src 'none'; frame-ancestors 'none'";
    private const string PageCsp = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
    private const string DocsCsp = "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'";

    /// <summary>Sets the headers before the response starts.</summary>
    public Task InvokeAsync(HttpContext context)
    {
        context.Response.OnStarting(static state =>
        {
            var ctx = (HttpContext)state;
            var headers = ctx.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            var path = ctx.Request.Path;
            headers.ContentSecurityPolicy = path.StartsWithSegments("/docs") ? DocsCsp : WebPages.IsPage(path) ? PageCsp : ApiCsp;
            if (ctx.Request.IsHttps) headers.StrictTransportSecurity = "max-age=31536000; includeSubDomains";
            return Task.CompletedTask;
        }, context);
        return next(context);
    }
}
