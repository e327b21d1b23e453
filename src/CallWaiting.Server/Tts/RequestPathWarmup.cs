using System.Diagnostics;
using System.Text;
using CallWaiting.Server.ApiKeys;
using CallWaiting.Server.Hosting;
using CallWaiting.Server.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CallWaiting.Server.Tts;

/// <summary>
/// Runs one synthesis through the request path's own code before the server listens, so that its just-in-time
/// compilation (key lookup and scrypt, rate limits, body parsing, voice resolution, rendering, streaming: most of the
/// thousand methods a first synthesis request compiled) is not paid by the first caller. It goes around the parts with effects: nothing is metered, cached, rate-limited or logged as a request.
/// Registered after <see cref="ServerInitializer"/>, whose engines it needs.
/// </summary>
internal sealed partial class RequestPathWarmup(
    SpeechHost speech,
    TtsService tts,
    ApiKeyVerifier verifier,
    IRateLimiter limiter,
    RateLimitOptions limits,
    IOptions<ApiOptions> options,
    TimeProvider time,
    ILogger<RequestPathWarmup> logger) : IHostedService
{
    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await WarmAsync(cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // A cold server still serves; a failure here shows in real requests' errors, not as a failed start.
            LogFailed(logger, e);
        }
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task WarmAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        if (speech.Runtime?.Synthesizer.Catalog.Voices is not [var voice, ..]) return;

        // A well-formed key that matches no prefix: the lookup and scrypt (against the decoy hash, which this builds
        // before any caller needs it) run, and nothing is counted against anyone.
        await verifier.VerifyAsync(ApiKeyFormat.Generate(), cancellationToken);

        // The limiter's paths, on a subject of its own that no address or key can have: one request in a fresh per-IP
        // window (gone in a minute), and a peek, which counts nothing, at the per-key windows.
        var subject = "warm-up-" + Guid.NewGuid().ToString("N");
        await limiter.AcquireAsync(limits.IpPolicy, subject, cancellationToken);
        await limiter.PeekAsync(limits.ForApiKey(), subject, cancellationToken);

        var context = new DefaultHttpContext();
        context.Request.Method = HttpMethods.Post;
        context.Request.ContentType = "application/json";
        var body = Encoding.UTF8.GetBytes($$"""{"text":"Warming up the request path.","voice_id":"{{voice.Slug}}","format":"mp3"}""");
        context.Request.ContentLength = body.Length;
        context.Request.Body = new MemoryStream(body);
        context.Response.Body = Stream.Null;

        var api = options.Value;
        var request = await TtsRequestParser.ReadAsync(context.Request, api.MaxRequestBodyBytes, api.MaxTextLength, cancellationToken);
        var key = WarmupKey();
        var job = await tts.CreateJobAsync(request, key, cancellationToken);
        var uncached = new TtsJob(job.Runtime, job.Request, job.Voice, job.Format, job.EncoderOptions, cacheKey: null);
        var source = await tts.OpenAudioAsync(uncached, new TtsCaller(key, Context: null, Stopwatch.GetTimestamp(), TtsMetering.None), cancellationToken);
        await AudioStreamResult.Of(source, job.Format, framing: null, logger).ExecuteAsync(context);
        LogWarm(logger, clock.Elapsed.TotalMilliseconds);
    }

    // Never stored and never presented: it only carries a tenant (one without private voices) for the voice lookup.
    private ApiKey WarmupKey() => new(
        Guid.NewGuid(), Guid.NewGuid(), "warm-up", "", new HashSet<string> { Scopes.TtsWrite }, 1, 1, ApiKeyStatus.Active,
        ExpiresAt: null, AllowedOrigins: [], LastUsedAt: null, CreatedAt: time.GetUtcNow(), RevokedAt: null);

    [LoggerMessage(Level = LogLevel.Information, Message = "Request path warm in {Milliseconds:0} ms")]
    private static partial void LogWarm(ILogger logger, double milliseconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request path warm-up failed; the first requests may be slow")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
