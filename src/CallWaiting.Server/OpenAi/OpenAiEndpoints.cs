using System.Data.Common;
using System.Diagnostics;
using System.Text.Json.Nodes;
using CallWaiting.Server.ApiKeys;
using CallWaiting.Server.Auth;
using CallWaiting.Server.Hosting;
using CallWaiting.Server.Observability;
using CallWaiting.Server.Storage;
using CallWaiting.Server.Tts;
using CallWaiting.Server.Voices;
using CallWaiting.Speech.Codecs;
using CallWaiting.Speech.Synthesis;
using CallWaiting.Speech.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Microsoft.OpenApi;

namespace CallWaiting.Server.OpenAi;

/// <summary>
/// The OpenAI-compatible API on the /v1 group: POST /v1/audio/speech, GET /v1/models, GET /v1/models/{model} and
/// GET /v1/audio/voices. Authentication, limits and metering are the rest of /v1's; every error is OpenAI-shaped.
/// </summary>
public static class OpenAiEndpoints
{
    /// <summary>OpenAI's speech models produce 24 kHz audio, and pcm is defined as 24 kHz; every format but Opus keeps to it.</summary>
    public const int SampleRate = 24_000;

    /// <summary>Maps the endpoints on the /v1 group.</summary>
    public static void MapOpenAi(this RouteGroupBuilder v1)
    {
        var openAi = v1.MapGroup("").WithMetadata(OpenAiErrorFormat.Instance).WithTags("OpenAI compatible");
        openAi.MapPost("/audio/speech", SpeakAsync)
            .RequireScope(Scopes.TtsWrite)
            .WithName("OpenAiCreateSpeech")
            .WithSummary("Create speech (OpenAI-compatible)")
            .WithDescription("OpenAI's POST /v1/audio/speech: model, input (≤ 4096 characters), voice (an OpenAI name such as alloy, or a voice slug or UUID), "
                + "response_format mp3|opus|flac|wav|pcm (24 kHz s16le; aac is refused), speed 0.25–4.0, instructions (ignored), stream_format audio|sse. "
                + "wav is sent as one complete file (Content-Length, exact RIFF and data sizes) unless stream_format is given as audio (then streamed, "
                + "its header saying \"length unknown\") or sse; every other format is streamed. "
                + "Needs tts:write. Errors use OpenAI's {\"error\":{…}} shape.")
            .AddOpenApiOperationTransformer(DocumentSpeechBodyAsync)
            .Produces(StatusCodes.Status200OK, contentType: "audio/mpeg", additionalContentTypes: ["audio/ogg", "audio/flac", "audio/wav", "audio/L16", SpeechSse.ContentType])
            .ProducesOpenAiErrors(StatusCodes.Status400BadRequest, StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden, StatusCodes.Status404NotFound,
                StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType, StatusCodes.Status429TooManyRequests, StatusCodes.Status503ServiceUnavailable);
        openAi.MapGet("/models", ListModels)
            .WithName("OpenAiListModels")
            .WithSummary("List models (OpenAI-compatible)")
            .WithDescription("The model ids POST /v1/audio/speech accepts. Any valid key.")
            .ProducesOpenAiErrors(StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden, StatusCodes.Status429TooManyRequests);
        openAi.MapGet("/models/{model}", GetModel)
            .WithName("OpenAiGetModel")
            .WithSummary("Get one model (OpenAI-compatible)")
            .WithDescription("404 for a model this server does not serve. Any valid key.")
            .ProducesOpenAiErrors(StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden, StatusCodes.Status404NotFound, StatusCodes.Status429TooManyRequests);
        openAi.MapGet("/audio/voices", ListVoicesAsync)
            .RequireScope(Scopes.VoicesRead)
            .WithName("OpenAiListVoices")
            .WithSummary("List speech voices (OpenAI-compatible)")
            .WithDescription("Every value POST /v1/audio/speech accepts as voice: the OpenAI voice names with the voice each maps to (maps_to), "
                + "then the catalog voices and the caller's tenant's private voices. Needs voices:read.")
            .ProducesOpenAiErrors(StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden, StatusCodes.Status429TooManyRequests, StatusCodes.Status503ServiceUnavailable);
    }

    private static async Task<IResult> SpeakAsync(
        HttpContext context, TtsService tts, OpenAiVoiceMap voices, IOptions<ApiOptions> api, IOptions<OpenAiOptions> options,
        ILoggerFactory loggers)
    {
        var ct = context.RequestAborted;
        var caller = new TtsCaller(ApiCaller.Of(context).Key, context, Stopwatch.GetTimestamp());
        var telemetry = context.Features.Get<RequestTelemetry>();

        OpenAiSpeechRequest body;
        try
        {
            body = await OpenAiSpeechRequestParser.ReadAsync(context.Request, api.Value.MaxRequestBodyBytes, options.Value.MaxInputLength, ct);
        }
        catch (OpenAiRequestException e)
        {
            return OpenAiErrorFormat.Result(context, e.Status, e.Message, e.Code, e.Param);
        }

        telemetry?.Voice = body.Voice;
        telemetry?.Characters = TextLength.Of(body.Input);
        if (!OpenAiModels.IsKnown(body.Model))
            return OpenAiErrorFormat.Result(context, StatusCodes.Status404NotFound,
                $"The model '{body.Model}' does not exist; use one of: {string.Join(", ", OpenAiModels.All)}.", "model_not_found", "model");

        // The synthesizer changes speed within 0.5–2.0 (natively where the engine can); the rest of OpenAI's 0.25–4.0
        // is the job's second tempo stage on the output, so speed = synthesizer speed × extra tempo, each within 0.5–2.0.
        var synthesisSpeed = Math.Clamp(body.Speed, SynthesisOptions.MinSpeed, SynthesisOptions.MaxSpeed);
        var request = new TtsRequest(body.Input, body.Voice, body.Format, synthesisSpeed,
            SampleRate: body.Format == AudioFormat.Opus ? null : SampleRate)
        {
            Tempo = body.Speed / synthesisSpeed,
        };
        var framing = body.Sse ? new SpeechSseFraming(request.Characters) : null;
        try
        {
            var job = await tts.CreateJobAsync(request, caller.Key, (catalog, tenantId, token) => voices.ResolveAsync(catalog, body.Voice, tenantId, token), ct);
            telemetry?.Voice = job.Voice.Slug;
            // As on /v1/tts, a WAV is one complete file with exact sizes unless a stream was asked for explicitly.
            if (body.Format == AudioFormat.Wav && !body.Sse && !body.AudioStreamAsked)
            {
                var (file, spoken, _, state) = await tts.OpenFileAsync(job, caller, ct);
                context.Response.RegisterForDisposeAsync(file);
                SetAudioHeaders(context, spoken, sse: false, state);
                return new WholeFileResult(file, AudioFormats.ContentType(job.Format, file.SampleRate));
            }

            var source = await tts.OpenAudioAsync(job, caller, ct);
            SetAudioHeaders(context, source.Job, body.Sse, source.CacheState);
            return AudioStreamResult.Of(source, job.Format, framing, loggers.CreateLogger("CallWaiting.Server.OpenAi"));
        }
        catch (TtsRequestException e)
        {
            return Error(context, voices, body.Voice, e);
        }
    }

    // The headers of /v1/tts, less Content-Disposition for SSE (not a file), plus a hint to proxies such as nginx, which
    // buffer responses by default and would hold back the first audio.
    private static void SetAudioHeaders(HttpContext context, TtsJob job, bool sse, string cacheState)
    {
        TtsHttp.SetAudioHeaders(context, job, cacheState);
        var headers = context.Response.Headers;
        if (sse) headers.Remove(HeaderNames.ContentDisposition);
        headers["X-Accel-Buffering"] = "no";
    }

    // The refusals of the shared synthesis path, in OpenAI's shape: the field at fault as param (OpenAI calls the text input).
    private static IResult Error(HttpContext context, OpenAiVoiceMap voices, string voice, TtsRequestException e)
    {
        context.Features.Get<RequestTelemetry>()?.Error = e.Message;
        return e.Kind switch
        {
            TtsErrorKind.NotFound => VoiceNotFound(context, voices, voice),
            TtsErrorKind.Overloaded or TtsErrorKind.Unavailable => Unavailable(context, e.Code, e.Message),
            TtsErrorKind.InvalidInput when e.Field is { } field =>
                OpenAiErrorFormat.Result(context, StatusCodes.Status400BadRequest, e.Message, "invalid_value", field == "text" ? "input" : field),
            _ => OpenAiErrorFormat.Result(context, TtsErrorStatus.Of(e.Kind), e.Message, e.Code, null),
        };
    }

    private static IResult ListModels() =>
        TypedResults.Json(OpenAiList<OpenAiModel>.Of(OpenAiModels.All.Select(OpenAiModels.Describe).ToList()), OpenAiJson.Default.OpenAiListOpenAiModel);

    private static IResult GetModel(HttpContext context, string model) =>
        OpenAiModels.IsKnown(model)
            ? TypedResults.Json(OpenAiModels.Describe(model), OpenAiJson.Default.OpenAiModel)
            : OpenAiErrorFormat.Result(context, StatusCodes.Status404NotFound, $"The model '{model}' does not exist.", "model_not_found", "model");

    private static async Task<IResult> ListVoicesAsync(HttpContext context, SpeechHost speech, OpenAiVoiceMap voices, VoiceRepository repository)
    {
        var runtime = speech.Runtime;
        if (runtime is null) return Unavailable(context, "engines_starting", "Speech engines are still starting; retry shortly.");
        var catalog = runtime.Synthesizer.Catalog;
        var tenant = ApiCaller.Of(context).Key.TenantId;
        var ct = context.RequestAborted;
        try
        {
            var list = new List<OpenAiVoice>();
            foreach (var name in voices.Names)
            {
                if (await voices.ResolveAsync(catalog, name, tenant, ct) is { } target)
                    list.Add(new OpenAiVoice(name, "voice", name, target.Id, target.Speaker.Language, Gender(target.Speaker), IsPublic: true, MapsTo: target.Slug));
            }

            list.AddRange(catalog.Voices.Select(v => new OpenAiVoice(v.Slug, "voice", v.DisplayName, v.Id, v.Language, Gender(v), IsPublic: true, MapsTo: null)));
            // Private voices speak through a catalog voice; one whose engine voice is not here cannot be used, so it is not listed.
            foreach (var stored in await repository.ListVisibleAsync(tenant, ct))
            {
                if (!stored.IsPublic && VoiceResolver.SpeakerOf(catalog, stored) is not null)
                    list.Add(new OpenAiVoice(stored.Slug, "voice", stored.DisplayName, stored.Id, stored.Language, stored.Gender, IsPublic: false, MapsTo: null));
            }

            return TypedResults.Json(OpenAiList<OpenAiVoice>.Of(list), OpenAiJson.Default.OpenAiListOpenAiVoice);
        }
        catch (Exception e) when (e is DbException or TimeoutException)
        {
            return Unavailable(context, "database_unavailable", "Private voices cannot be listed right now; retry shortly.");
        }
    }

    // The body is documented by a transformer rather than Accepts(): Accepts would make routing answer a wrong content type
    // with its own 415 before the endpoint (and its OpenAI error shape) is selected.
    private static async Task DocumentSpeechBodyAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var schema = await context.GetOrCreateSchemaAsync(typeof(OpenAiSpeechBody), parameterDescription: null, cancellationToken);
        operation.RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/json"] = new()
                {
                    Schema = schema,
                    Example = new JsonObject { ["model"] = "tts-1", ["input"] = "Thank you for calling. Please hold.", ["voice"] = "alloy", ["response_format"] = "mp3" },
                },
            },
        };
    }

    private static string Gender(CatalogVoice voice) => voice.Gender.ToString().ToLowerInvariant();

    private static IResult VoiceNotFound(HttpContext context, OpenAiVoiceMap voices, string voice) =>
        OpenAiErrorFormat.Result(context, StatusCodes.Status404NotFound,
            voices.IsName(voice)
                ? $"Voice '{voice}' maps to {voices.Describe(voice)}, none of which this server has."
                : $"Voice '{voice}' was not found; GET /v1/audio/voices lists the voices you can use.",
            "voice_not_found", "voice");

    private static IResult Unavailable(HttpContext context, string code, string message)
    {
        context.Response.Headers.RetryAfter = "1";
        return OpenAiErrorFormat.Result(context, StatusCodes.Status503ServiceUnavailable, message, code, null);
    }

    private static RouteHandlerBuilder ProducesOpenAiErrors(this RouteHandlerBuilder builder, params int[] statuses)
    {
        foreach (var status in statuses) builder.Produces<OpenAiErrorResponse>(status, "application/json");
        return builder;
    }
}
