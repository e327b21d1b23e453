using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace CallWaiting.Server.Realtime;

/// <summary>
/// Puts a <see cref="FrameSizeGuardStream"/> under the WebSocket of <see cref="RealtimeEndpoints.Path"/>: it runs before
/// the WebSocket middleware and wraps the connection features that middleware upgrades through (HTTP/1.1 Upgrade and
/// HTTP/2 extended CONNECT), then publishes the guard as a request feature for the session.
/// </summary>
internal sealed class FrameSizeGuardMiddleware(RequestDelegate next, IOptions<RealtimeOptions> options)
{
    /// <summary>Wraps the upgrade features of WebSocket requests to the realtime path.</summary>
    public Task InvokeAsync(HttpContext context)
    {
        if (context.Request.Path.Equals(RealtimeEndpoints.Path, StringComparison.OrdinalIgnoreCase))
        {
            var features = context.Features;
            var limit = options.Value.MaxMessageBytes;
            if (features.Get<IHttpUpgradeFeature>() is { IsUpgradableRequest: true } upgrade)
                features.Set<IHttpUpgradeFeature>(new GuardedUpgrade(upgrade, features, limit));
            if (features.Get<IHttpExtendedConnectFeature>() is { IsExtendedConnect: true } connect)
                features.Set<IHttpExtendedConnectFeature>(new GuardedConnect(connect, features, limit));
        }

        return next(context);
    }

    private static Stream Guard(Stream stream, IFeatureCollection features, long limit)
    {
        var guard = new FrameSizeGuardStream(stream, limit);
        features.Set(guard);
        return guard;
    }

    private sealed class GuardedUpgrade(IHttpUpgradeFeature inner, IFeatureCollection features, long limit) : IHttpUpgradeFeature
    {
        public bool IsUpgradableRequest => inner.IsUpgradableRequest;

        public async Task<Stream> UpgradeAsync() => Guard(await inner.UpgradeAsync().ConfigureAwait(false), features, limit);
    }

    private sealed class GuardedConnect(IHttpExtendedConnectFeature inner, IFeatureCollection features, long limit) : IHttpExtendedConnectFeature
    {
        public bool IsExtendedConnect => inner.IsExtendedConnect;

        public string? Protocol => inner.Protocol;

        public async ValueTask<Stream> AcceptAsync() => Guard(await inner.AcceptAsync().ConfigureAwait(false), features, limit);
    }
}
