using System.Text.Json;
using CallWaiting.Server.Hosting;
using CallWaiting.Speech.Codecs;
using CallWaiting.Speech.Text;
using Microsoft.AspNetCore.Http;

namespace CallWaiting.Server.OpenAi;

/// <summary>
/// Reads and validates a POST /v1/audio/speech body by hand, so that every malformed or hostile body gets a precise
/// OpenAI-shaped 4xx naming the field at fault: 415 unless JSON, 413 past the size limit, 400 for the rest. Fields
/// OpenAI may add later are ignored, as its API ignores unknown fields.
/// </summary>
public static class OpenAiSpeechRequestParser
{
    /// <summary>Slowest speed OpenAI accepts.</summary>
    public const double MinSpeed = 0.25;

    /// <summary>Fastest speed OpenAI accepts.</summary>
    public const double MaxSpeed = 4.0;

    private const int MaxVoiceLength = 200;

    /// <summary>Reads the body (at most <paramref name="maxBodyBytes"/>) and validates it; throws <see cref="OpenAiRequestException"/>.</summary>
    public static async Task<OpenAiSpeechRequest> ReadAsync(HttpRequest request, long maxBodyBytes, int maxInputLength, CancellationToken cancellationToken)
    {
        using var document = await JsonRequestBody.ReadAsync(request, maxBodyBytes, problem => Refusal(problem, maxBodyBytes), cancellationToken).ConfigureAwait(false);
        return ValidateDocument(document, maxInputLength);
    }

    /// <summary>Validates a JSON body; throws <see cref="OpenAiRequestException"/> (400) naming the first problem.</summary>
    public static OpenAiSpeechRequest Parse(ReadOnlySpan<byte> body, int maxInputLength)
    {
        using var document = JsonRequestBody.Parse(body, problem => Refusal(problem, 0));
        return ValidateDocument(document, maxInputLength);
    }

    private static OpenAiSpeechRequest ValidateDocument(JsonDocument document, int maxInputLength)
    {
        try
        {
            return Validate(document.RootElement, maxInputLength);
        }
        catch (InvalidOperationException)
        {
            // JsonElement.GetString refuses escapes that decode to invalid UTF-16 (lone surrogates).
            throw Invalid("invalid_json", null, "We could not parse the JSON body of your request: a string holds an invalid escape sequence.");
        }
    }

    private static OpenAiSpeechRequest Validate(JsonElement root, int maxInputLength)
    {
        if (root.ValueKind != JsonValueKind.Object) throw Invalid("invalid_type", null, "The request body must be a JSON object.");

        var model = RequiredString(root, "model");
        var input = RequiredString(root, "input");
        if (string.IsNullOrWhiteSpace(input)) throw Invalid("invalid_value", "input", "'input' must not be empty.");
        if (TextLength.Of(input) is var length && length > maxInputLength)
            throw Invalid("string_above_max_length", "input", $"'input' is too long: {length} characters (maximum {maxInputLength}).");
        var voice = Voice(root);

        var format = AudioFormat.Mp3;
        if (Optional(root, "response_format") is { } f)
        {
            format = (f.ValueKind == JsonValueKind.String ? f.GetString() : null) switch
            {
                "mp3" => AudioFormat.Mp3,
                "opus" => AudioFormat.Opus,
                "flac" => AudioFormat.Flac,
                "wav" => AudioFormat.Wav,
                "pcm" => AudioFormat.Pcm16,
                "aac" => throw Invalid("unsupported_value", "response_format",
                    "response_format 'aac' is not supported by this server (it has no AAC encoder); use mp3, opus, flac, wav or pcm."),
                _ => throw Invalid("invalid_value", "response_format", "'response_format' must be one of: mp3, opus, aac, flac, wav, pcm."),
            };
        }

        var speed = 1.0;
        if (Optional(root, "speed") is { } s
            && (s.ValueKind != JsonValueKind.Number || !s.TryGetDouble(out speed) || !double.IsFinite(speed) || speed < MinSpeed || speed > MaxSpeed))
            throw Invalid("invalid_value", "speed", $"'speed' must be a number from {MinSpeed} to {MaxSpeed}.");

        if (Optional(root, "instructions") is { ValueKind: not JsonValueKind.String })
            throw Invalid("invalid_type", "instructions", "'instructions' must be a string.");

        var sse = false;
        var audioStream = false;
        if (Optional(root, "stream_format") is { } sf)
        {
            sse = (sf.ValueKind == JsonValueKind.String ? sf.GetString() : null) switch
            {
                "audio" => false,
                "sse" => true,
                _ => throw Invalid("invalid_value", "stream_format", "'stream_format' must be 'audio' or 'sse'."),
            };
            audioStream = !sse;
        }

        return new OpenAiSpeechRequest(model, input, voice, format, speed, sse, audioStream);
    }

    // A voice is a name, slug or UUID, or OpenAI's custom-voice object {"id": "…"}.
    private static string Voice(JsonElement root)
    {
        if (!root.TryGetProperty("voice", out var value) || value.ValueKind == JsonValueKind.Null)
            throw Invalid("missing_required_parameter", "voice", "Missing required parameter: 'voice'.");
        if (value.ValueKind == JsonValueKind.Object && value.TryGetProperty("id", out var id)) value = id;
        var voice = value.ValueKind == JsonValueKind.String ? value.GetString()!.Trim() : null;
        if (string.IsNullOrEmpty(voice) || voice.Length > MaxVoiceLength)
            throw Invalid("invalid_value", "voice", "'voice' must be an OpenAI voice name (alloy, ash, …), a voice slug or UUID, or {\"id\": \"…\"}.");
        return voice;
    }

    private static string RequiredString(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            throw Invalid("missing_required_parameter", name, $"Missing required parameter: '{name}'.");
        if (value.ValueKind != JsonValueKind.String) throw Invalid("invalid_type", name, $"'{name}' must be a string.");
        return value.GetString()!;
    }

    // An absent or null field takes its default.
    private static JsonElement? Optional(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    private static OpenAiRequestException Invalid(string code, string? param, string message) => new(StatusCodes.Status400BadRequest, code, param, message);

    private static OpenAiRequestException Refusal(JsonBodyProblem problem, long maxBodyBytes) => problem switch
    {
        JsonBodyProblem.NotJson => new(StatusCodes.Status415UnsupportedMediaType, "unsupported_media_type", null, "Content-Type must be application/json."),
        JsonBodyProblem.TooLarge => new(StatusCodes.Status413PayloadTooLarge, "payload_too_large", null, $"The request body exceeds {maxBodyBytes} bytes."),
        JsonBodyProblem.Empty => Invalid("invalid_json", null, "The request body is empty; send a JSON object with model, input and voice."),
        JsonBodyProblem.TrailingData => Invalid("invalid_json", null, "We could not parse the JSON body of your request: unexpected data after the JSON value."),
        JsonBodyProblem.InvalidUtf8 => Invalid("invalid_json", null, "We could not parse the JSON body of your request: it is not valid UTF-8."),
        _ => Invalid("invalid_json", null, "We could not parse the JSON body of your request."),
    };
}
