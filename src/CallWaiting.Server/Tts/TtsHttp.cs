using System.Globalization;
using CallWaiting.Server.ApiKeys;
using CallWaiting.Server.Hosting;
using CallWaiting.Server.Observability;
using CallWaiting.Speech.Codecs;
using Microsoft.AspNetCore.Http;

namespace CallWaiting.Server.Tts;

/// <summary>
/// The HTTP edge shared by every endpoint that answers audio (/v1/tts and its timestamp variants, OpenAI, Twilio,
/// prewarm): resolving a request into a job with its telemetry, the audio headers, and a synthesis error as the
/// contract's JSON, its status read from the error's kind.
/// </summary>
internal static class TtsHttp
{
    /// <summary>Header saying whether the audio came from the cache: HIT, MISS, or BYPASS when the request is not cacheable.</summary>
    public const string CacheHeader = "X-Cache";

    /// <summary>Header naming the voice that spoke in place of the requested one, whose engine is not loaded or failed.</summary>
    public const string FallbackHeader = "X-Voice-Fallback";

    /// <summary>
    /// Whether /v1/tts streams a format unless "stream" says otherwise: a file is a file, and WAV's streamed header
    /// cannot hold its sizes, so WAV is streamed only when asked for.
    /// </summary>
    public static bool StreamedByDefault(AudioFormat format) => format != AudioFormat.Wav;

    /// <summary>Notes the request in the telemetry and resolves it into a job.</summary>
    public static async Task<TtsJob> StartJobAsync(HttpContext context, TtsService tts, TtsRequest body, ApiKey key, CancellationToken cancellationToken)
    {
        var telemetry = context.Features.Get<RequestTelemetry>();
        telemetry?.Voice = body.VoiceId;
        telemetry?.Characters = body.Characters;
        var job = await tts.CreateJobAsync(body, key, cancellationToken);
        telemetry?.Voice = job.Voice.Slug;
        return job;
    }

    /// <summary>The headers every successful synthesis response carries; <paramref name="cache"/> null leaves X-Cache out.</summary>
    public static void SetAudioHeaders(HttpContext context, TtsJob job, string? cache)
    {
        var headers = context.Response.Headers;
        headers["X-Voice-ID"] = job.Voice.Id.ToString();
        if (job.Voice.FallbackFrom is not null) headers[FallbackHeader] = job.Voice.Slug;
        headers["X-Text-Length"] = job.Request.Characters.ToString(CultureInfo.InvariantCulture);
        headers.ContentDisposition = job.ContentDisposition(context.TraceIdentifier);
        headers.CacheControl = "no-store";
        if (cache is not null) headers[CacheHeader] = cache;
    }

    /// <summary>The JSON error for a refused request, its status read from the error's kind (with Retry-After on 503).</summary>
    public static IResult Error(HttpContext context, TtsRequestException e)
    {
        var status = TtsErrorStatus.Of(e.Kind);
        if (status == StatusCodes.Status503ServiceUnavailable) context.Response.Headers.RetryAfter = "1";
        context.Features.Get<RequestTelemetry>()?.Error = e.Message;
        return ApiResults.Error(context, status, e.Code, e.Message);
    }
}
