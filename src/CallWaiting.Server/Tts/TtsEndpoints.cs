using System.Diagnostics;
using System.Globalization;
using CallWaiting.Server.ApiKeys;
using CallWaiting.Server.Auth;
using CallWaiting.Server.Cache;
using CallWaiting.Server.Hosting;
using CallWaiting.Server.Observability;
using CallWaiting.Speech.Audio;
using CallWaiting.Speech.Codecs;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CallWaiting.Server.Tts;

/// <summary>
/// POST /v1/tts: validate, resolve the voice for the caller's tenant, answer from the audio cache when it can, else
/// stream audio as it is synthesized (or send it whole for stream:false); plus the word-timestamp variants.
/// </summary>
public static class TtsEndpoints
{
    /// <summary>Header saying whether the audio came from the cache: HIT, MISS, or BYPASS when the request is not cacheable.</summary>
    public const string CacheHeader = "X-Cache";

    private static readonly int[] Errors =
    [
        StatusCodes.Status400BadRequest, StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden, StatusCodes.Status404NotFound,
        StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType, StatusCodes.Status429TooManyRequests, StatusCodes.Status503ServiceUnavailable,
    ];

    /// <summary>Maps the endpoints on the /v1 group.</summary>
    public static void MapTts(this RouteGroupBuilder v1)
    {
        v1.MapPost("/tts", SynthesizeAsync)
            .RequireScope(Scopes.TtsWrite)
            .WithName("Synthesize")
            .WithSummary("Synthesize speech")
            .WithDescription("""
                Whole file or stream: WAV is sent as one complete file with Content-Length and exact RIFF and data sizes,
                unless "stream": true asks for a stream (chunked, as it is synthesized; its header then says "length
                unknown", 0xFFFFFFFF). Every other format is streamed unless "stream": false asks for the whole file (with
                Content-Length). A cached rendering is sent in the same form, with X-Cache: HIT. Formats: wav, mp3, pcm16, ulaw,
                alaw (8 kHz default), opus, flac; or an ElevenLabs output_format such as mp3_44100_128, pcm_16000, ulaw_8000 or
                opus_48000_64. "ssml": true (or text starting with <speak>) reads SSML.
                Caching: renderings are content-addressed (text, voice, every parameter, engine version), private to the
                caller's tenant, and shared by replicas through Redis; X-Cache says HIT, MISS or BYPASS (cache off). A request
                identical to one still being synthesized joins it and is streamed the same bytes (HIT). A hit is the exact
                bytes of the miss that filled it, and is authenticated, rate-limited and metered like any request (flagged
                cached). Usage: the request's characters and the seconds of audio sent; a client that disconnects after audio
                started is charged its characters and the audio it was sent; one that leaves before, or a synthesis failure
                after, costs nothing. A disconnect cancels synthesis and frees the engine worker at once (unless another
                request is reading the same synthesis).
                Needs the tts:write scope.
                """)
            .Accepts<TtsRequest>("application/json")
            .Produces(StatusCodes.Status200OK, contentType: "audio/wav", additionalContentTypes: ["audio/mpeg", "audio/L16", "audio/basic", "audio/PCMU", "audio/PCMA", "audio/ogg", "audio/flac"])
            .ProducesApiErrors(Errors);
        TimestampEndpoints.Map(v1, Errors);
    }

    private static async Task<IResult> SynthesizeAsync(
        HttpContext context, TtsService tts, TtsUsageRecorder usage, IOptions<ApiOptions> options, ILoggerFactory loggers)
    {
        var started = Stopwatch.GetTimestamp();
        var ct = context.RequestAborted;
        var key = ApiCaller.Of(context).Key;
        try
        {
            var api = options.Value;
            var body = await TtsRequestParser.ReadAsync(context.Request, api.MaxRequestBodyBytes, api.MaxTextLength, ct);
            var job = await StartJobAsync(context, tts, body, key, ct);
            // A file is a file: WAV's streamed header cannot hold its sizes, so it is streamed only when asked for.
            var streamed = body.Stream ?? job.Format != AudioFormat.Wav;
            if (!streamed)
            {
                var (file, state) = await RenderFileAsync(context, tts, usage, key, job, started, ct);
                SetAudioHeaders(context, job, state);
                return new WholeFileResult(file, AudioFormats.ContentType(job.Format, file.SampleRate));
            }

            if (await FromCacheAsync(context, tts.Cache, usage, key, job, started, framing: null, state => SetAudioHeaders(context, job, state), ct) is { } hit)
                return hit;
            return await StreamAsync(context, tts, usage, key, job, started, framing: null, state => SetAudioHeaders(context, job, state),
                loggers.CreateLogger("CallWaiting.Server.Tts"), ct);
        }
        catch (TtsRequestException e)
        {
            return Error(context, e);
        }
    }

    /// <summary>
    /// Answers <paramref name="job"/> from the cache when it is there: the cached bytes as streamed (wrapped by
    /// <paramref name="framing"/> when not null) after <paramref name="setHeaders"/>("HIT"), metered as cached. Null on
    /// a miss or when the job is not cacheable.
    /// </summary>
    internal static async Task<IResult?> FromCacheAsync(HttpContext context, AudioCache cache, TtsUsageRecorder usage, ApiKey key, TtsJob job,
        long started, AudioFraming? framing, Action<string> setHeaders, CancellationToken cancellationToken)
    {
        if (job.CacheKey is not { } cacheKey || await cache.GetAsync(cacheKey, cancellationToken) is not { } hit) return null;
        setHeaders("HIT");
        usage.Record(context, key, job.Voice.Slug, job.Format, job.Request.Characters, hit.Entry.AudioSeconds, Stopwatch.GetElapsedTime(started), null, cached: true);
        return new AudioBytesResult(hit.Entry.Audio, AudioFormats.ContentType(job.Format, hit.Entry.SampleRate), framing: framing, seconds: hit.Entry.AudioSeconds);
    }

    /// <summary>
    /// The whole-file answer of every endpoint that sends one: <paramref name="job"/>'s audio as a complete
    /// <see cref="WholeFile"/>, from the cache or rendered (joining an identical rendering in progress), metered, and
    /// disposed with the response. Returns it with its X-Cache value.
    /// </summary>
    internal static async Task<(WholeFile File, string CacheState)> RenderFileAsync(HttpContext context, TtsService tts, TtsUsageRecorder usage,
        ApiKey key, TtsJob job, long started, CancellationToken cancellationToken)
    {
        var characters = job.Request.Characters;
        if (await tts.LookupAsync(job, cancellationToken) is { } hit)
        {
            usage.Record(context, key, job.Voice.Slug, job.Format, characters, hit.Seconds, Stopwatch.GetElapsedTime(started), null, cached: true);
            return (Owned(context, WholeFile.Of(hit, job.Format)), "HIT");
        }

        var (file, coalesced, firstAudio) = await RenderWholeAsync(tts, job, started, cancellationToken);
        Owned(context, file);
        usage.Record(context, key, job.Voice.Slug, job.Format, characters, file.Seconds, Stopwatch.GetElapsedTime(started), firstAudio, coalesced);
        return (file, CacheState(job, coalesced));
    }

    private static WholeFile Owned(HttpContext context, WholeFile file)
    {
        context.Response.RegisterForDisposeAsync(file);
        return file;
    }

    /// <summary>
    /// Opens <paramref name="job"/>'s rendering (joining an identical one in progress) and waits for its first audio
    /// (every refusal still a <see cref="TtsRequestException"/>), then calls <paramref name="setHeaders"/> with the
    /// X-Cache value and returns the streaming result, metered with what was delivered (also when the client leaves mid-stream).
    /// </summary>
    internal static async Task<IResult> StreamAsync(HttpContext context, TtsService tts, TtsUsageRecorder usage, ApiKey key, TtsJob job,
        long started, AudioFraming? framing, Action<string> setHeaders, ILogger logger, CancellationToken cancellationToken)
    {
        var reader = await tts.OpenAsync(job, cancellationToken);
        setHeaders(CacheState(job, reader.Coalesced));
        var characters = job.Request.Characters;
        var coalesced = reader.Coalesced;
        return new AudioStreamResult(reader, job.Format, started, framing,
            (seconds, elapsed, firstAudio) => usage.Record(context, key, job.Voice.Slug, job.Format, characters, seconds, elapsed, firstAudio, coalesced),
            logger);
    }

    /// <summary>
    /// Renders <paramref name="job"/> whole into a spooled <see cref="WholeFile"/> (joining an identical rendering in
    /// progress): no byte is sent yet, so every failure is still a JSON error. Returns it (the caller disposes it),
    /// whether it was coalesced, and the time to its first audio; with <paramref name="waitForStore"/>, only once it is
    /// in every cache tier.
    /// </summary>
    internal static async Task<(WholeFile File, bool Coalesced, TimeSpan FirstAudio)> RenderWholeAsync(
        TtsService tts, TtsJob job, long started, CancellationToken cancellationToken, bool waitForStore = false)
    {
        await using var reader = await tts.OpenAsync(job, cancellationToken);
        var firstAudio = Stopwatch.GetElapsedTime(started);
        var file = await WholeFile.SpoolAsync(reader, job.Format, cancellationToken);
        try
        {
            if (waitForStore) await reader.WhenStoredAsync().WaitAsync(cancellationToken);
        }
        catch
        {
            await file.DisposeAsync();
            throw;
        }
        return (file, reader.Coalesced, firstAudio);
    }

    /// <summary>The X-Cache value of a rendering: HIT when it joined one in progress, MISS when it synthesized, BYPASS when it is not cacheable.</summary>
    internal static string CacheState(TtsJob job, bool coalesced) => job.CacheKey is null ? "BYPASS" : coalesced ? "HIT" : "MISS";

    /// <summary>Notes the request in the telemetry and resolves it into a job.</summary>
    internal static async Task<TtsJob> StartJobAsync(HttpContext context, TtsService tts, TtsRequest body, ApiKey key, CancellationToken cancellationToken)
    {
        var telemetry = context.Features.Get<RequestTelemetry>();
        telemetry?.Voice = body.VoiceId;
        telemetry?.Characters = body.Characters;
        var job = await tts.CreateJobAsync(body, key, cancellationToken);
        telemetry?.Voice = job.Voice.Slug;
        return job;
    }

    /// <summary>The headers every successful synthesis response carries; <paramref name="cache"/> null leaves X-Cache out.</summary>
    internal static void SetAudioHeaders(HttpContext context, TtsJob job, string? cache)
    {
        var headers = context.Response.Headers;
        headers["X-Voice-ID"] = job.Voice.Id.ToString();
        headers["X-Text-Length"] = job.Request.Characters.ToString(CultureInfo.InvariantCulture);
        headers.ContentDisposition = job.ContentDisposition(context.TraceIdentifier);
        headers.CacheControl = "no-store";
        if (cache is not null) headers[CacheHeader] = cache;
    }

    /// <summary>The JSON error for a refused request, its status read from the error's kind (with Retry-After on 503).</summary>
    internal static IResult Error(HttpContext context, TtsRequestException e)
    {
        var status = TtsErrorStatus.Of(e.Kind);
        if (status == StatusCodes.Status503ServiceUnavailable) context.Response.Headers.RetryAfter = "1";
        context.Features.Get<RequestTelemetry>()?.Error = e.Message;
        return ApiResults.Error(context, status, e.Code, e.Message);
    }
}
