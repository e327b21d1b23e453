using System.Diagnostics;
using CallWaiting.Server.ApiKeys;
using CallWaiting.Server.Auth;
using CallWaiting.Server.Hosting;
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
            .Accepts<TtsBody>("application/json")
            .Produces(StatusCodes.Status200OK, contentType: "audio/wav", additionalContentTypes: ["audio/mpeg", "audio/L16", "audio/basic", "audio/PCMU", "audio/PCMA", "audio/ogg", "audio/flac"])
            .ProducesApiErrors(Errors);
        TimestampEndpoints.Map(v1, Errors);
        TtsLimitsEndpoint.Map(v1);
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
            var job = await TtsHttp.StartJobAsync(context, tts, body, caller.Key, ct);
            var streamed = body.Stream ?? TtsHttp.StreamedByDefault(job.Format);
            if (!streamed)
            {
                var (file, spoken, _, state) = await tts.OpenFileAsync(job, caller, ct);
                context.Response.RegisterForDisposeAsync(file);
                TtsHttp.SetAudioHeaders(context, spoken, state);
                return new WholeFileResult(file, AudioFormats.ContentType(job.Format, file.SampleRate));
            }

            var source = await tts.OpenAudioAsync(job, caller, ct);
            TtsHttp.SetAudioHeaders(context, source.Job, source.CacheState);
            return AudioStreamResult.Of(source, job.Format, framing: null, loggers.CreateLogger("CallWaiting.Server.Tts"));
        }
        catch (TtsRequestException e)
        {
            return TtsHttp.Error(context, e);
        }
    }
}
