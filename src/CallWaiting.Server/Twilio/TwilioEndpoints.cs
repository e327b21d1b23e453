using System.Diagnostics;
using System.Globalization;
using System.Text;
using CallWaiting.Server.ApiKeys;
using CallWaiting.Server.Auth;
using CallWaiting.Server.Hosting;
using CallWaiting.Server.Observability;
using CallWaiting.Server.Realtime;
using CallWaiting.Server.Tts;
using CallWaiting.Server.Voices;
using CallWaiting.Speech.Codecs;
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
        // Filters run in the order added: reading the form (which the signature covers), Twilio's signature, then Basic
        // credentials as a key, then the usual key checks.
        app.MapPost(VoicePath, VoiceAsync)
            .AddEndpointFilter<FormBodyFilter>()
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
                StatusCodes.Status404NotFound, StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType, StatusCodes.Status429TooManyRequests, StatusCodes.Status503ServiceUnavailable);

        app.MapGet(AudioPath + "/{token}", AudioAsync)
            .WithName("SignedAudio")
            .ExcludeFromDescription();
    }

    private static async Task<IResult> VoiceAsync(
        HttpContext context, TtsService tts, AudioTokens tokens, IOptions<ApiOptions> api, IOptions<TwilioOptions> twilio)
    {
        var request = context.Request;
        var ct = context.RequestAborted;
        var key = ApiCaller.Of(context).Key;
        var form = FormBodyFilter.Of(context);
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
        if (string.IsNullOrWhiteSpace(text) || TextLength.Of(text) > maxLength)
            return Error(context, StatusCodes.Status400BadRequest, "invalid_request", $"The text must hold 1 to {maxLength} characters.");
        var speed = 1.0;
        if (Parameter("speed") is { } s && (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out speed)
            || !double.IsFinite(speed) || speed < SynthesisOptions.MinSpeed || speed > SynthesisOptions.MaxSpeed))
            return Error(context, StatusCodes.Status400BadRequest, "invalid_request", $"Parameter 'speed' must be a number from {SynthesisOptions.MinSpeed} to {SynthesisOptions.MaxSpeed}.");

        // Validate now, so that a bad request fails here with a reason rather than later as audio Twilio cannot fetch.
        ResolvedVoice voice;
        try
        {
            var job = await TtsHttp.StartJobAsync(context, tts, Request(voiceId, text, ssml, speed), key, ct);
            job.Prepare();
            voice = job.Voice;
        }
        catch (TtsRequestException e)
        {
            return TtsHttp.Error(context, e);
        }

        var (token, _) = tokens.Issue(key.Id, key.TenantId, voice.Id, text, ssml, speed);
        var url = $"{TwilioWebhookUrl.Base(request, twilio.Value)}{AudioPath}/{token}";
        var twiml = new TwimlResponse().Play(new Uri(url)).ToString();
        context.Response.Headers.CacheControl = "no-store";
        return Results.Text(twiml, "application/xml", Encoding.UTF8);
    }

    private static async Task<IResult> AudioAsync(
        HttpContext context, string token, AudioTokens tokens, TokenCallerAuthenticator authenticator, TtsService tts, TimeProvider time)
    {
        var started = Stopwatch.GetTimestamp();
        var check = tokens.Verify(token, out var claims);
        if (check == TokenCheck.Expired)
            return Error(context, StatusCodes.Status403Forbidden, "audio_url_expired", "This audio URL has expired.");
        if (check != TokenCheck.Valid)
            return Error(context, StatusCodes.Status403Forbidden, "invalid_audio_url", "This audio URL is not valid.");

        if (await authenticator.AuthenticateAsync(context, claims!.KeyId, claims.TenantId, Scopes.TtsWrite, time.GetUtcNow()) is { } denied) return denied;
        var key = ApiCaller.Of(context).Key;

        // Sent whole, not streamed: the WAV header then carries the true length, which every fetcher (Twilio's included)
        // accepts, and a failure can still be a clean error. Twilio fetches the same prompt for every caller, so the
        // audio cache and coalescing apply as on /v1/tts.
        TtsJob job;
        WholeFile file;
        string cacheState;
        try
        {
            job = await TtsHttp.StartJobAsync(context, tts, Request(claims.VoiceId.ToString(), claims.Text, claims.Ssml, claims.Speed), key, context.RequestAborted);
            (file, job, _, cacheState) = await tts.OpenFileAsync(job, new TtsCaller(key, context, started), context.RequestAborted);
            context.Response.RegisterForDisposeAsync(file);
        }
        catch (TtsRequestException e)
        {
            return TtsHttp.Error(context, e);
        }

        var headers = context.Response.Headers;
        var remaining = (long)Math.Max(0, (claims.ExpiresAt - time.GetUtcNow()).TotalSeconds);
        headers.CacheControl = $"private, max-age={remaining.ToString(CultureInfo.InvariantCulture)}";
        headers["X-Voice-ID"] = job.Voice.Id.ToString();
        headers[TtsHttp.CacheHeader] = cacheState;
        headers.ContentDisposition = job.ContentDisposition(context.TraceIdentifier);
        return new WholeFileResult(file, AudioFormats.ContentType(AudioFormat.Wav, AudioSampleRate));
    }

    // What the webhook and its audio URL synthesize: 8 kHz WAV, the telephone's own rate.
    private static TtsRequest Request(string voiceId, string text, bool ssml, double speed) =>
        new(text, voiceId, AudioFormat.Wav, speed, SampleRate: AudioSampleRate) { Ssml = ssml };

    private static IResult Error(HttpContext context, int status, string code, string detail)
    {
        context.Features.Get<RequestTelemetry>()?.Error = detail;
        return ApiResults.Error(context, status, code, detail);
    }
}
