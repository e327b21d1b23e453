using System.Diagnostics;
using System.Globalization;
using CallWaiting.Server.ApiKeys;
using CallWaiting.Server.Auth;
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
        HttpContext context, TtsService tts, IOptions<ApiOptions> options, ILoggerFactory loggers)
    {
        var started = Stopwatch.GetTimestamp();
        var ct = context.RequestAborted;
        var caller = new TtsCaller(ApiCaller.Of(context).Key, context, started);
        try
        {
            var api = options.Value;
            var body = await TtsRequestParser.ReadAsync(context.Request, api.MaxRequestBodyBytes, api.MaxTextLength, ct);
            var job = await StartJobAsync(context, tts, body, caller.Key, ct);
            // A file is a file: WAV's streamed header cannot hold its sizes, so it is streamed only when asked for.
            var streamed = body.Stream ?? job.Format != AudioFormat.Wav;
            if (!streamed)
            {
                var (file, _, state) = await tts.OpenFileAsync(job, caller, ct);
                context.Response.RegisterForDisposeAsync(file);
                SetAudioHeaders(context, job, state);
                return new WholeFileResult(file, AudioFormats.ContentType(job.Format, file.SampleRate));
            }

            var source = await tts.OpenAudioAsync(job, caller, ct);
            SetAudioHeaders(context, job, source.CacheState);
            return AudioStreamResult.Of(source, job.Format, framing: null, loggers.CreateLogger("CallWaiting.Server.Tts"));
        }
        catch (TtsRequestException e)
        {
            return Error(context, e);
        }
    }

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
