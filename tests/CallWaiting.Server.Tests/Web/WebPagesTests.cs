using System.Net;
using System.Text.RegularExpressions;
using CallWaiting.Server.Tests.Infrastructure;
using CallWaiting.Server.Web;

namespace CallWaiting.Server.Tests.Web;

/// <summary>
/// The pages and their assets come from the assembly, under a CSP that allows only the server's own scripts and styles,
/// and their HTML holds nothing that CSP would block (inline script, inline style, event attributes) nor loads from elsewhere.
/// </summary>
public sealed partial class WebPagesTests
{
    private const string PageCsp = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    [Fact]
    public async Task Pages_and_their_assets_are_served_from_the_assembly_under_the_page_csp_and_the_api_keeps_its_own()
    {
        await using var server = new InProcessServer();
        var client = server.CreateClient();
        foreach (var (path, type, marker) in new[]
        {
            ("/", "text/html", "<title>"),
            ("/admin", "text/html", "id=\"login-form\""),
            ("/js/api.js", "text/javascript", "export async function api("),
            ("/css/site.css", "text/css", ":focus-visible"),
        })
        {
            using var response = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(type, response.Content.Headers.ContentType?.MediaType);
            Assert.Contains(marker, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Equal(PageCsp, Header(response, "Content-Security-Policy"));
            Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        }

        using var api = await client.GetAsync("/v1/voices");
        Assert.Equal("default-src 'none'; frame-ancestors 'none'", Header(api, "Content-Security-Policy"));
        using var missing = await client.GetAsync("/admin/no-such-file.js");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public void No_page_holds_inline_script_inline_style_or_event_attributes()
    {
        var resources = typeof(WebPages).Assembly.GetManifestResourceNames().Where(n => n.StartsWith("CallWaiting.Server.Web.wwwroot.", StringComparison.Ordinal)).ToList();
        var html = resources.Where(n => n.EndsWith(".html", StringComparison.Ordinal)).ToList();
        Assert.Contains("CallWaiting.Server.Web.wwwroot.index.html", html);
        Assert.Contains("CallWaiting.Server.Web.wwwroot.admin.index.html", html);
        foreach (var name in html)
        {
            using var stream = typeof(WebPages).Assembly.GetManifestResourceStream(name)!;
            var text = new StreamReader(stream).ReadToEnd();
            Assert.DoesNotMatch(InlineScript(), text);
            Assert.DoesNotMatch(EventAttribute(), text);
            Assert.DoesNotContain(" style=", text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("<style", text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotMatch(ExternalReference(), text);
        }
    }

    // A <script> without src, i.e. with a body of its own.
    [GeneratedRegex(@"<script(?![^>]*\bsrc=)[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex InlineScript();

    [GeneratedRegex(@"<[^>]+\son[a-z]+\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex EventAttribute();

    // Anything loaded from another host (a CDN): every asset ships with the server.
    [GeneratedRegex(@"\b(src|href)\s*=\s*[""']?(https?:)?//", RegexOptions.IgnoreCase)]
    private static partial Regex ExternalReference();
}
