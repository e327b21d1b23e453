using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using CallWaiting.Server.ApiKeys;
using CallWaiting.Server.Auth;
using CallWaiting.Server.Hosting;
using CallWaiting.Server.Observability;
using CallWaiting.Server.Usage;
using CallWaiting.Server.Voices;
using CallWaiting.Speech.Audio;
using CallWaiting.Speech.Codecs;
using CallWaiting.Speech.Engines;
using CallWaiting.Speech.Synthesis;
using CallWaiting.Speech.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CallWaiting.Server.Tts;

/// <summary>POST /v1/tts: validate, resolve the voice for the caller's tenant, then stream audio as it is synthesized.</summary>
public static class TtsEndpoints
{
    /// <summary>Maps the endpoint on the /v1 group.</summary>
    public static void MapTts(this RouteGroupBuilder v1)
    {
        v1.MapPost("/tts", SynthesizeAsync)
            .RequireScope(Scopes.TtsWrite)
            .WithName("Synthesize")
            .WithSummary("Synthesize speech")
            .WithDescription("Streams audio in the asked-for format as it is synthesized. Needs the tts:write scope.")
            .Accepts<TtsRequest>("application/json")
            .Produces(StatusCodes.Status200OK, contentType: "audio/wav", additionalContentTypes: ["audio/mpeg", "audio/L16", "audio/basic", "audio/PCMU", "audio/PCMA", "audio/ogg", "audio/flac"])
            .ProducesApiErrors(StatusCodes.Status400BadRequest, StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden, StatusCodes.Status404NotFound,
                StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType, StatusCodes.Status429TooManyRequests, StatusCodes.Status503ServiceUnavailable);
    }

    private static async Task<IResult> SynthesizeAsync(
        HttpContext context, SpeechHost speech, VoiceResolver resolver, IOptions<ApiOptions> options, IApiMeter meter,
        ServerMetrics metrics, TimeProvider time, ILoggerFactory loggers)
    {
        var started = Stopwatch.GetTimestamp();
        var ct = context.RequestAborted;
        var caller = ApiCaller.Of(context);
        var telemetry = context.Features.Get<RequestTelemetry>();
        var api = options.Value;

        TtsRequest body;
        try
        {
            body = await TtsRequestParser.ReadAsync(context.Request, api.MaxRequestBodyBytes, api.MaxTextLength, ct);
        }
        catch (TtsRequestException e)
        {
            return Error(context, e.Status, e.Code, e.Message);
        }

        telemetry?.Voice = body.VoiceId;
        telemetry?.Characters = body.Text.Length;
        var runtime = speech.Runtime;
        if (runtime is null)
            return Unavailable(context, "engines_starting", "Speech engines are still starting; retry shortly.");

        ResolvedVoice? voice;
        try
        {
            voice = await resolver.ResolveAsync(runtime.Synthesizer.Catalog, body.VoiceId, caller.Key.TenantId, ct);
        }
        catch (Exception e) when (e is DbException or TimeoutException)
        {
            return Unavailable(context, "database_unavailable", "Private voices cannot be looked up right now; retry shortly.");
        }

        if (voice is null) return Error(context, StatusCodes.Status404NotFound, "voice_not_found", $"Voice '{body.VoiceId}' was not found.");
        telemetry?.Voice = voice.Slug;

        SynthesisPlan plan;
        try
        {
            plan = runtime.Synthesizer.Prepare(new SynthesisRequest
            {
                Text = body.Text,
                Voice = voice.Speaker.Slug,
                Format = AudioFormats.Parse(body.Format),
                Speed = body.Speed,
                Seed = body.Seed,
                SampleRate = body.SampleRate,
            });
        }
        catch (VoiceNotFoundException)
        {
            return Error(context, StatusCodes.Status404NotFound, "voice_not_found", $"Voice '{body.VoiceId}' was not found.");
        }
        catch (SynthesisRequestException e)
        {
            return Error(context, StatusCodes.Status400BadRequest, "invalid_" + e.Field, e.Message);
        }
        catch (TextInputException e)
        {
            return Error(context, StatusCodes.Status400BadRequest, "invalid_text", e.Message);
        }

        // Pull the first chunk before anything is sent: a full queue or an engine failure can still be a JSON error.
        var chunks = plan.StreamAsync(ct).GetAsyncEnumerator(ct);
        var handedOver = false;
        try
        {
            if (!await chunks.MoveNextAsync())
                return Error(context, StatusCodes.Status400BadRequest, "invalid_text", "The text holds nothing to speak.");
            handedOver = true;
        }
        catch (EngineException e) when (e.Kind == EngineErrorKind.Overloaded)
        {
            return Unavailable(context, "overloaded", "All speech engines are busy; retry shortly.");
        }
        catch (EngineException e) when (e.Kind == EngineErrorKind.InvalidRequest)
        {
            return Error(context, StatusCodes.Status400BadRequest, "invalid_request", e.Message);
        }
        catch (EngineException)
        {
            return Error(context, StatusCodes.Status500InternalServerError, "synthesis_failed", "Speech synthesis failed; please retry.");
        }
        finally
        {
            if (!handedOver) await chunks.DisposeAsync();
        }

        var headers = context.Response.Headers;
        headers["X-Voice-ID"] = voice.Id.ToString();
        headers["X-Text-Length"] = body.Text.Length.ToString(CultureInfo.InvariantCulture);
        headers.ContentDisposition = $"inline; filename=\"speech-{context.TraceIdentifier}.{AudioFormats.FileExtension(plan.Format)}\"";
        headers.CacheControl = "no-store";

        var key = caller.Key;
        var format = AudioFormats.Name(plan.Format);
        return new AudioStreamResult(plan, chunks, started, (audio, elapsed) =>
        {
            meter.RecordSynthesis(key, time.GetUtcNow(), body.Text.Length, audio.Duration.TotalSeconds, (long)elapsed.TotalMilliseconds);
            metrics.TtsRequests.WithLabels(voice.Slug, format).Inc();
            metrics.GenerationDuration.Observe(elapsed.TotalSeconds);
            if (audio.TimeToFirstAudio is { } first) metrics.TimeToFirstAudio.Observe(first.TotalSeconds);
        }, loggers.CreateLogger("CallWaiting.Server.Tts"));
    }

    private static IResult Unavailable(HttpContext context, string code, string detail)
    {
        context.Response.Headers.RetryAfter = "1";
        return Error(context, StatusCodes.Status503ServiceUnavailable, code, detail);
    }

    private static IResult Error(HttpContext context, int status, string code, string detail)
    {
        context.Features.Get<RequestTelemetry>()?.Error = detail;
        return ApiResults.Error(context, status, code, detail);
    }
}
