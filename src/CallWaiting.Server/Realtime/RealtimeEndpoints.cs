using System.Globalization;
using System.Net.WebSockets;
using CallWaiting.Server.ApiKeys;
using CallWaiting.Server.Auth;
using CallWaiting.Server.Hosting;
using CallWaiting.Server.Observability;
using CallWaiting.Server.Tts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace CallWaiting.Server.Realtime;

/// <summary>
/// The streaming text-in, audio-out WebSocket <c>GET /v1/tts/ws</c> (protocol: docs/WEBSOCKET.md) and
/// <c>POST /v1/auth/ws-token</c>, which mints the short-lived token a browser passes as <c>?token=</c>.
/// </summary>
/// <remarks>
/// The protocol in brief. Auth: an API key header, or <c>?token=</c>. The client's first JSON text message is the config
/// <c>{"voice_id", "format": pcm16|wav|ulaw|alaw|mp3|opus, "sample_rate", "speed", "mode": "default"|"twilio", "stream_sid", "pacing"}</c>;
/// then <c>{"text"}</c> pieces (optionally with <c>"flush": true</c>), <c>{"flush": true}</c>, <c>{"clear": true}</c> or
/// Twilio's <c>{"event": "clear"}</c>, and <c>{"close": true}</c>. Text is spoken sentence by sentence as it completes.
/// Default mode answers with binary audio frames and JSON text frames <c>ready</c>, <c>alignment</c> (words with
/// start_ms/end_ms, before the audio they describe), <c>flush_done</c>, <c>cleared</c>, <c>error</c> and <c>final</c>;
/// Twilio mode sends only Twilio's <c>media</c> messages (base64 of exactly 160 μ-law bytes) and a <c>mark</c> after each
/// utterance. Closes: 1000 normal, 1001 shutdown, 1003 binary from the client, 1008 protocol or policy (bad message, text
/// before config, idle, session too long), 1009 message too big, 1011 synthesis failed, 1013 engines busy.
/// </remarks>
public static class RealtimeEndpoints
{
    /// <summary>The WebSocket's path.</summary>
    public const string Path = "/v1/tts/ws";

    /// <summary>Maps POST /v1/auth/ws-token on the /v1 group, whose API key filter authenticates it.</summary>
    public static void MapRealtimeTokens(this RouteGroupBuilder v1)
    {
        v1.MapPost("/auth/ws-token", IssueToken)
            .RequireScope(Scopes.TtsWrite)
            .WithName("CreateWebSocketToken")
            .WithSummary("Create a WebSocket token")
            .WithDescription("A short-lived token (60 s by default) that opens /v1/tts/ws?token=… as this key, for browsers that cannot set headers. Needs tts:write.")
            .ProducesApiErrors(StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden, StatusCodes.Status429TooManyRequests);
    }

    /// <summary>
    /// Maps GET /v1/tts/ws. It sits outside the /v1 group because the group's filter only knows API key headers;
    /// <see cref="RealtimeAuthFilter"/> runs that same filter for header keys and checks tokens otherwise.
    /// </summary>
    public static void MapRealtime(this IEndpointRouteBuilder app)
    {
        app.MapGet(Path, ConnectAsync)
            .AddEndpointFilter<RealtimeAuthFilter>()
            .RequireScope(Scopes.TtsWrite)
            .WithName("TtsWebSocket")
            .ExcludeFromDescription();
    }

    private static JsonHttpResult<WsTokenResponse> IssueToken(HttpContext context, WsTokens tokens, TimeProvider time)
    {
        var (token, expires) = tokens.Issue(ApiCaller.Of(context).Key);
        context.Response.Headers.CacheControl = "no-store";
        var seconds = (int)Math.Max(0, Math.Round((expires - time.GetUtcNow()).TotalSeconds));
        return TypedResults.Json(new WsTokenResponse(token, expires, seconds, $"{Path}?{RealtimeAuthFilter.TokenParameter}={token}"),
            RealtimeJson.Default.WsTokenResponse);
    }

    private static async Task<IResult> ConnectAsync(
        HttpContext context, SpeechHost speech, TtsService tts, TtsUsageRecorder usage, RealtimeMetrics realtimeMetrics, ApiKeyWatch keyWatch,
        IOptions<RealtimeOptions> options, TimeProvider time, ILoggerFactory loggers, IHostApplicationLifetime lifetime)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.Headers[HeaderNames.Upgrade] = "websocket";
            return ApiResults.Error(context, StatusCodes.Status426UpgradeRequired, "websocket_required", "This endpoint speaks WebSocket only; send an Upgrade: websocket request.");
        }

        if (speech.Runtime is null)
        {
            context.Response.Headers.RetryAfter = "1";
            return ApiResults.Error(context, StatusCodes.Status503ServiceUnavailable, "engines_starting", "Speech engines are still starting; retry shortly.");
        }

        var settings = options.Value;
        var key = ApiCaller.Of(context).Key;
        using var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
        {
            KeepAliveInterval = settings.KeepAliveInterval,
            KeepAliveTimeout = settings.KeepAliveTimeout,
        });

        realtimeMetrics.OpenSessions.Inc();
        SessionSummary summary;
        try
        {
            var session = new RealtimeSession(socket, key, tts, usage, settings, time, loggers.CreateLogger("CallWaiting.Server.Realtime"));
            var oversizedFrame = context.Features.Get<FrameSizeGuardStream>()?.Oversized ?? new TaskCompletionSource<long>().Task;
            using var watch = keyWatch.Watch(key);
            summary = await session.RunAsync(lifetime.ApplicationStopping, context.RequestAborted, oversizedFrame, watch.Refused);
        }
        finally
        {
            realtimeMetrics.OpenSessions.Dec();
        }

        realtimeMetrics.ClosedSessions.WithLabels(summary.CloseStatus is { } code ? ((int)code).ToString(CultureInfo.InvariantCulture) : "none").Inc();
        var telemetry = context.Features.Get<RequestTelemetry>();
        telemetry?.Voice = summary.Voice;
        telemetry?.Characters = summary.Characters;
        if (summary.CloseStatus is not WebSocketCloseStatus.NormalClosure) telemetry?.Error = summary.CloseReason ?? "The connection broke.";
        return Results.Empty;
    }
}
