using System.Buffers;
using System.Diagnostics;
using CallWaiting.Server.ApiKeys;
using CallWaiting.Server.Auth;
using CallWaiting.Server.Hosting;
using CallWaiting.Speech.Codecs;
using CallWaiting.Speech.Engines;
using CallWaiting.Speech.Synthesis;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CallWaiting.Server.Tts;

/// <summary>
/// Word timestamps: POST /v1/tts/with-timestamps answers one JSON object with the base64 audio and its words;
/// POST /v1/tts/stream-with-timestamps streams NDJSON, one line per synthesized chunk, as the audio is produced.
/// Both take the /v1/tts body (stream is ignored), are metered like it and share its audio cache (entries keep their words).
/// </summary>
public static class TimestampEndpoints
{
    /// <summary>Media type of the streaming variant.</summary>
    public const string NdjsonContentType = "application/x-ndjson";

    internal static void Map(RouteGroupBuilder v1, int[] errors)
    {
        v1.MapPost("/tts/with-timestamps", WithTimestampsAsync)
            .RequireScope(Scopes.TtsWrite)
            .WithName("SynthesizeWithTimestamps")
            .WithSummary("Synthesize speech with word timestamps")
            .WithDescription("""
                Takes the /v1/tts body (stream is ignored) and answers JSON: {audio_base64, content_type, format, sample_rate,
                duration_ms, words: [{word, start_ms, end_ms}]}. The audio is one complete file (a WAV with exact sizes).
                Words are as spoken after normalization ("42" is "forty two"); starts never decrease and lie within the
                audio. Needs the tts:write scope.
                """)
            .Accepts<TtsBody>("application/json")
            .Produces<TimestampedSpeech>()
            .ProducesApiErrors(errors);

        v1.MapPost("/tts/stream-with-timestamps", StreamWithTimestampsAsync)
            .RequireScope(Scopes.TtsWrite)
            .WithName("StreamWithTimestamps")
            .WithSummary("Stream speech with word timestamps (NDJSON)")
            .WithDescription("""
                Takes the /v1/tts body and streams application/x-ndjson, one JSON object per line as audio is synthesized:
                {"audio_base64", "words": [{word, start_ms, end_ms}]}. The first line also has content_type, format and
                sample_rate; the last has "done": true and duration_ms. Concatenating every line's audio gives the same
                stream /v1/tts sends with "stream": true (a WAV's header says "length unknown"). Times are from the start of the audio; a word is sent once its end is known, so it
                may come one line after its first audio. A failure after the first line ends the stream with an
                {"error": {code, detail}} line. Needs the tts:write scope.
                """)
            .Accepts<TtsBody>("application/json")
            .Produces(StatusCodes.Status200OK, contentType: NdjsonContentType)
            .ProducesApiErrors(errors);
    }

    private static async Task<IResult> WithTimestampsAsync(HttpContext context, TtsService tts, IOptions<ApiOptions> options)
    {
        var ct = context.RequestAborted;
        var caller = new TtsCaller(ApiCaller.Of(context).Key, context, Stopwatch.GetTimestamp());
        try
        {
            var job = await StartJobAsync(context, tts, options.Value, caller.Key, ct);
            var (file, spoken, _, state) = await tts.OpenFileAsync(job, caller, ct);
            context.Response.RegisterForDisposeAsync(file);
            TtsHttp.SetAudioHeaders(context, spoken, state);
            return new TimestampedSpeechResult(file);
        }
        catch (TtsRequestException e)
        {
            return TtsHttp.Error(context, e);
        }
    }

    private static async Task<IResult> StreamWithTimestampsAsync(HttpContext context, TtsService tts, IOptions<ApiOptions> options, ILoggerFactory loggers)
    {
        var ct = context.RequestAborted;
        var caller = new TtsCaller(ApiCaller.Of(context).Key, context, Stopwatch.GetTimestamp());
        try
        {
            var job = await StartJobAsync(context, tts, options.Value, caller.Key, ct);
            var source = await tts.OpenAudioAsync(job, caller, ct);
            TtsHttp.SetAudioHeaders(context, source.Job, source.CacheState);
            return new TimestampStreamResult(source, job.Format, loggers.CreateLogger("CallWaiting.Server.Tts"));
        }
        catch (TtsRequestException e)
        {
            return TtsHttp.Error(context, e);
        }
    }

    private static async Task<TtsJob> StartJobAsync(HttpContext context, TtsService tts, ApiOptions api, ApiKey key, CancellationToken ct)
    {
        var body = await TtsRequestParser.ReadAsync(context.Request, api.MaxRequestBodyBytes, api.MaxTextLength, ct);
        return await TtsHttp.StartJobAsync(context, tts, body, key, ct);
    }
}
