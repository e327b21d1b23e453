using System.Buffers;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CallWaiting.Server.Hosting;

/// <summary>
/// Gives every request an id: the caller's <c>X-Request-ID</c> when it is sane (1–128 URL-safe characters),
/// a fresh one otherwise. It becomes the trace identifier, a response header and a logging scope.
/// </summary>
public sealed class RequestIdMiddleware(RequestDelegate next, ILogger<RequestIdMiddleware> logger)
{
    /// <summary>The header that carries the id both ways.</summary>
    public const string Header = "X-Request-ID";

    private static readonly SearchValues<char> Allowed =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.:");

    /// <summary>Assigns the id, then runs the rest of the pipeline inside a logging scope that carries it.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        var incoming = context.Request.Headers[Header].ToString();
        var id = IsSane(incoming) ? incoming : Guid.CreateVersion7().ToString("N");
        context.TraceIdentifier = id;
        context.Response.Headers[Header] = id;
        using (logger.BeginScope(new Dictionary<string, object> { ["request_id"] = id }))
            await next(context);
    }

    internal static bool IsSane(string value) =>
        value.Length is > 0 and <= 128 && !value.AsSpan().ContainsAnyExcept(Allowed);
}
