using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.FileProviders;

namespace CallWaiting.Server.Web;

/// <summary>
/// The web pages and their assets (<c>Web/wwwroot</c>, embedded in the assembly, so the server serves them from any
/// folder and nothing comes from elsewhere): <c>/</c> is the playground, <c>/admin</c> the admin dashboard, and every
/// file under wwwroot is served at its path (<c>/js/api.js</c>, <c>/css/site.css</c>, <c>/admin/…</c>).
/// </summary>
public static class WebPages
{
    /// <summary>The folders under wwwroot, each served at /&lt;folder&gt;/…; pages and assets get the page CSP.</summary>
    private static readonly string[] AssetFolders = ["/admin", "/js", "/css", "/playground", "/vendor"];

    /// <summary>The embedded wwwroot.</summary>
    public static IFileProvider Assets { get; } = new EmbeddedFileProvider(typeof(WebPages).Assembly, "CallWaiting.Server.Web.wwwroot");

    /// <summary>Whether <paramref name="path"/> is a page or a page asset (rather than the API, /docs or a probe).</summary>
    public static bool IsPage(PathString path) =>
        path == "/" || path == "/index.html" || AssetFolders.Any(folder => path.StartsWithSegments(folder, StringComparison.Ordinal));

    /// <summary>Serves the embedded assets at their paths; a page's HTML and scripts are revalidated on every load.</summary>
    public static IApplicationBuilder UseWebAssets(this IApplicationBuilder app) =>
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = Assets,
            OnPrepareResponse = file => file.Context.Response.Headers.CacheControl = "no-cache",
        });

    /// <summary>Maps <c>/</c> and <c>/admin</c> to their pages.</summary>
    public static void MapWebPages(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/", () => Page("index.html")).ExcludeFromDescription();
        app.MapGet("/admin", () => Page("admin/index.html")).ExcludeFromDescription();
    }

    private static IResult Page(string path)
    {
        var file = Assets.GetFileInfo(path);
        return file.Exists
            ? (IResult)TypedResults.Stream(file.CreateReadStream(), "text/html; charset=utf-8", lastModified: file.LastModified)
            : TypedResults.NotFound();
    }
}
