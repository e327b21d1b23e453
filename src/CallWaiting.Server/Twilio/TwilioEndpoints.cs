using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.IO.Pipelines;
using System.Text;
using CallWaiting.Server.ApiKeys;
using CallWaiting.Server.Auth;
using CallWaiting.Server.Hosting;
using CallWaiting.Server.Observability;
using CallWaiting.Server.Realtime;
using CallWaiting.Server.Tts;
using CallWaiting.Server.Usage;
using CallWaiting.Server.Voices;
using CallWaiting.Speech.Codecs;
using CallWaiting.Speech.Engines;
using CallWaiting.Speech.Synthesis;
using CallWaiting.Speech.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using TwimlResponse = Twilio.TwiML.VoiceResponse;

namespace CallWaiting.Server.Twilio;

/// <summary>
/// Telephony over plain HTTP: <c>POST /v1/twilio/voice</c> answers a Twilio voice webhook with TwiML that plays a
/// signed, expiring audio URL, and <c>GET /v1/audio/{token}</c> synthesizes that audio (8 kHz WAV) for whoever holds
/// the URL. The webhook is authenticated by an API key (HTTP Basic in the webhook URL, or the usual headers) and, when
/// Twilio:AuthToken is set, also by Twilio's signature; the audio URL is its own credential and carries no key.
/// </summary>
public static class TwilioEndpoints
{
    /// <summary>The TwiML webhook's path.</summary>
    public const string VoicePath = "/v1/twilio/voice";

    /// <summary>The path prefix of signed audio URLs.</summary>
    public const string AudioPath = "/v1/audio";

    /// <summary>Sample rate of the audio Twilio plays: the telephone's own, so Twilio does not resample it.</summary>
    public const int AudioSampleRate = 8000;

    /// <summary>Maps both endpoints.</summary>
    public static void MapTwilio(this IEndpointRouteBuilder app)
    {
        // Filters run in the order added: Twilio's signature, then Basic credentials as a key, then the usual key checks.
        app.MapPost(VoicePath, VoiceAsync)
            .AddEndpointFilter<TwilioSignatureFilter>()
            .AddEndpointFilter<TwilioBasicAuthFilter>()
            .AddEndpointFilter<ApiKeyFilter>()
            .RequireScope(Scopes.TtsWrite)
            .WithTags("Telephony")
            .WithName("TwilioVoice")
            .WithSummary("Twilio voice webhook (TwiML)")
            .WithDescription("Takes Twilio's webhook form plus voice, and text or ssml (query string or form), and answers "
                + "<Response><Play>…signed audio URL…</Play></Response>. Put the API key in the webhook URL as HTTP Basic credentials. "
                + "With Twilio:AuthToken configured, X-Twilio-Signature must be valid.")
            .Produces(StatusCodes.Status200OK, contentType: "application/xml")
            .ProducesApiErrors(StatusCodes.Status400BadRequest, StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden,
                StatusCodes.Status404NotFound, StatusCodes.Status429TooManyRequests, StatusCodes.Status503ServiceUnavailable);

        app.MapGet(AudioPath + "/{token}", AudioAsync)
            .WithName("SignedAudio")
            .ExcludeFromDescription();
    }

    private static async Task<IResult> VoiceAsync(
        HttpContext context, SpeechHost speech, VoiceResolver resolver, AudioTokens tokens, IOptions<ApiOptions> api, IOptions<TwilioOptions> twilio)
    {
        var request = context.Request;
        var ct = context.RequestAborted;
        var key = ApiCaller.Of(context).Key;
        var form = request.HasFormContentType ? await request.ReadFormAsync(ct) : null;
        string? Parameter(string name) =>
            request.Query[name] is { Count: > 0 } q && !StringValues.IsNullOrEmpty(q) ? q.ToString()
            : form?[name] is { Count: > 0 } f && !StringValues.IsNullOrEmpty(f) ? f.ToString() : null;

        var voiceId = (Parameter("voice") ?? Parameter("voice_id"))?.Trim();
        var plain = Parameter("text");
        var ssmlText = Parameter("ssml");
        if (voiceId is not { Length: > 0 and <= 200 })
            return Error(context, StatusCodes.Status400BadRequest, "invalid_request", "Parameter 'voice' (a voice UUID or slug) is required.");
        if (plain is null == ssmlText is null)
            return Error(context, StatusCodes.Status400BadRequest, "invalid_request", "Send exactly one of the parameters 'text' and 'ssml'.");
        var text = (plain ?? ssmlText)!;
        var ssml = ssmlText is not null || text.TrimStart().StartsWith("<speak", StringComparison.OrdinalIgnoreCase);
        var maxLength = api.Value.MaxTextLength;
        if (string.IsNullOrWhiteSpace(text) || text.Length > maxLength)
            return Error(context, StatusCodes.Status400BadRequest, "invalid_request", $"The text must hold 1 to {maxLength} characters.");
        var speed = 1.0;
        if (Parameter("speed") is { } s && (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out speed)
            || !double.IsFinite(speed) || speed < SynthesisOptions.MinSpeed || speed > SynthesisOptions.MaxSpeed))
            return Error(context, StatusCodes.Status400BadRequest, "invalid_request", $"Parameter 'speed' must be a number from {SynthesisOptions.MinSpeed} to {SynthesisOptions.MaxSpeed}.");

        var telemetry = context.Features.Get<RequestTelemetry>();
        telemetry?.Voice = voiceId;
        telemetry?.Characters = text.Length;
        var (runtime, found, refused) = await ResolveAsync(context, speech, resolver, voiceId, key.TenantId);
        if (refused is not null) return refused;
        var voice = found!;
        telemetry?.Voice = voice.Slug;

        // Validate now, so that a bad request fails here with a reason rather than later as audio Twilio cannot fetch.
        if (Prepare(context, runtime!, voice, text, ssml, speed, out _) is { } invalid) return invalid;

        var (token, _) = tokens.Issue(key.Id, key.TenantId, voice.Id, text, ssml, speed);
        var url = $"{TwilioWebhookUrl.Base(request, twilio.Value)}{AudioPath}/{token}";
        var twiml = new TwimlResponse().Play(new Uri(url)).ToString();
        context.Response.Headers.CacheControl = "no-store";
        return Results.Text(twiml, "application/xml", Encoding.UTF8);
    }

    private static async Task<IResult> AudioAsync(
        HttpContext context, string token, AudioTokens tokens, TokenCallerAuthenticator authenticator, SpeechHost speech, VoiceResolver resolver,
        IApiMeter meter, ServerMetrics metrics, TimeProvider time)
    {
        var started = Stopwatch.GetTimestamp();
        var check = tokens.Verify(token, out var claims);
        if (check == TokenCheck.Expired)
            return Error(context, StatusCodes.Status403Forbidden, "audio_url_expired", "This audio URL has expired.");
        if (check != TokenCheck.Valid)
            return Error(context, StatusCodes.Status403Forbidden, "invalid_audio_url", "This audio URL is not valid.");

        if (await authenticator.AuthenticateAsync(context, claims!.KeyId, claims.TenantId, Scopes.TtsWrite, time.GetUtcNow()) is { } denied) return denied;
        var key = ApiCaller.Of(context).Key;
        var telemetry = context.Features.Get<RequestTelemetry>();
        telemetry?.Characters = claims.Text.Length;
        var (runtime, found, refused) = await ResolveAsync(context, speech, resolver, claims.VoiceId.ToString(), claims.TenantId);
        if (refused is not null) return refused;
        var voice = found!;
        telemetry?.Voice = voice.Slug;
        if (Prepare(context, runtime!, voice, claims.Text, claims.Ssml, claims.Speed, out var plan) is { } invalid) return invalid;

        // Buffered, not streamed: the WAV header then carries the true length, which every fetcher (Twilio's included)
        // accepts, and a failure can still be a clean error. Text is capped at Api:MaxTextLength, so this stays small.
        using var buffer = new MemoryStream();
        StreamedAudio audio;
        try
        {
            var writer = PipeWriter.Create(buffer, new StreamPipeWriterOptions(leaveOpen: true));
            audio = await AudioStreaming.WriteAsync(plan!, writer, context.RequestAborted);
            await writer.CompleteAsync();
            AudioStreaming.FinalizeFile(buffer, AudioFormat.Wav);
        }
        catch (EngineException e) when (e.Kind == EngineErrorKind.Overloaded)
        {
            context.Response.Headers.RetryAfter = "1";
            return Error(context, StatusCodes.Status503ServiceUnavailable, "overloaded", "All speech engines are busy; retry shortly.");
        }
        catch (EngineException)
        {
            return Error(context, StatusCodes.Status500InternalServerError, "synthesis_failed", "Speech synthesis failed; please retry.");
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        meter.RecordSynthesis(key, time.GetUtcNow(), claims.Text.Length, audio.Duration.TotalSeconds, (long)elapsed.TotalMilliseconds);
        metrics.TtsRequests.WithLabels(voice.Slug, AudioFormats.Name(AudioFormat.Wav)).Inc();
        metrics.GenerationDuration.Observe(elapsed.TotalSeconds);

        var headers = context.Response.Headers;
        var remaining = (long)Math.Max(0, (claims.ExpiresAt - time.GetUtcNow()).TotalSeconds);
        headers.CacheControl = $"private, max-age={remaining.ToString(CultureInfo.InvariantCulture)}";
        headers["X-Voice-ID"] = voice.Id.ToString();
        headers.ContentDisposition = $"inline; filename=\"speech-{context.TraceIdentifier}.wav\"";
        return TypedResults.Bytes(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), AudioFormats.ContentType(AudioFormat.Wav, AudioSampleRate));
    }

    private static async Task<(SpeechRuntime? Runtime, ResolvedVoice? Voice, IResult? Refused)> ResolveAsync(
        HttpContext context, SpeechHost speech, VoiceResolver resolver, string voiceId, Guid tenantId)
    {
        var runtime = speech.Runtime;
        if (runtime is null) return (null, null, Unavailable(context, "engines_starting", "Speech engines are still starting; retry shortly."));
        try
        {
            var voice = await resolver.ResolveAsync(runtime.Synthesizer.Catalog, voiceId, tenantId, context.RequestAborted);
            return voice is null
                ? (runtime, null, Error(context, StatusCodes.Status404NotFound, "voice_not_found", $"Voice '{voiceId}' was not found."))
                : (runtime, voice, null);
        }
        catch (Exception e) when (e is DbException or TimeoutException)
        {
            return (runtime, null, Unavailable(context, "database_unavailable", "Private voices cannot be looked up right now; retry shortly."));
        }
    }

    private static IResult? Prepare(HttpContext context, SpeechRuntime runtime, ResolvedVoice voice, string text, bool ssml, double speed, out SynthesisPlan? plan)
    {
        plan = null;
        try
        {
            plan = runtime.Synthesizer.Prepare(new SynthesisRequest
            {
                Text = text,
                Voice = voice.Speaker.Slug,
                Format = AudioFormat.Wav,
                SampleRate = AudioSampleRate,
                Speed = speed,
                Ssml = ssml,
            });
            return null;
        }
        catch (VoiceNotFoundException)
        {
            return Error(context, StatusCodes.Status404NotFound, "voice_not_found", $"Voice '{voice.Slug}' was not found.");
        }
        catch (SynthesisRequestException e)
        {
            return Error(context, StatusCodes.Status400BadRequest, "invalid_" + e.Field, e.Message);
        }
        catch (TextInputException e)
        {
            return Error(context, StatusCodes.Status400BadRequest, "invalid_text", e.Message);
        }
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
