using System.Text.Json;
using CallWaiting.Server.Hosting;
using CallWaiting.Speech.Codecs;
using CallWaiting.Speech.Synthesis;
using CallWaiting.Speech.Text;
using Microsoft.AspNetCore.Http;

namespace CallWaiting.Server.Tts;

/// <summary>
/// Reads and validates a POST /v1/tts body by hand, so that every malformed, oversized or hostile body gets a
/// precise 4xx JSON answer (never a binder's 500 or an HTML page): 415 unless JSON, 413 past the size limit,
/// 400 for bad JSON, wrong types or out-of-range values.
/// </summary>
public static class TtsRequestParser
{
    // What a /v1/tts body is, for the errors that ask for one.
    private const string Expected = "a JSON object with text and voice_id";

    /// <summary>Reads the body (at most <paramref name="maxBodyBytes"/>) and validates it; throws <see cref="TtsRequestException"/>.</summary>
    public static async Task<TtsRequest> ReadAsync(HttpRequest request, long maxBodyBytes, int maxTextLength, CancellationToken cancellationToken)
    {
        using var document = await ReadDocumentAsync(request, maxBodyBytes, Expected, cancellationToken).ConfigureAwait(false);
        return ValidateElement(document.RootElement, maxTextLength);
    }

    /// <summary>
    /// Reads a JSON body (415 unless JSON, 413 past <paramref name="maxBodyBytes"/>, 400 when malformed) into a document;
    /// an empty body's error asks for <paramref name="expected"/>.
    /// </summary>
    internal static Task<JsonDocument> ReadDocumentAsync(HttpRequest request, long maxBodyBytes, string expected, CancellationToken cancellationToken) =>
        JsonRequestBody.ReadAsync(request, maxBodyBytes, problem => Refusal(problem, maxBodyBytes, expected), cancellationToken);

    /// <summary>Validates a JSON body; throws <see cref="TtsRequestException"/> (400) naming the first problem.</summary>
    public static TtsRequest Parse(ReadOnlySpan<byte> body, int maxTextLength)
    {
        using var document = JsonRequestBody.Parse(body, problem => Refusal(problem, 0, Expected));
        return ValidateElement(document.RootElement, maxTextLength);
    }

    /// <summary>Validates one request object (a whole body, or one prompt of a prewarm list); throws <see cref="TtsRequestException"/> (400).</summary>
    internal static TtsRequest ValidateElement(JsonElement element, int maxTextLength)
    {
        try
        {
            return Validate(element, maxTextLength);
        }
        catch (InvalidOperationException)
        {
            // JsonElement.GetString refuses escapes that decode to invalid UTF-16 (lone surrogates).
            throw Invalid("Malformed JSON body: a string holds an invalid escape sequence.");
        }
    }

    private static TtsRequest Validate(JsonElement root, int maxTextLength)
    {
        if (root.ValueKind != JsonValueKind.Object) throw Invalid("The request body must be a JSON object.");

        var text = RequiredString(root, "text");
        if (string.IsNullOrWhiteSpace(text)) throw Invalid("Field 'text' must not be empty.");
        if (TextLength.Of(text) is var length && length > maxTextLength)
            throw Invalid($"Text too long: {length} characters (maximum {maxTextLength}).");

        var voice = RequiredString(root, "voice_id");
        if (string.IsNullOrWhiteSpace(voice) || voice.Length > 200) throw Invalid("Field 'voice_id' must be a voice UUID or slug.");

        var format = AudioFormat.Wav;
        string? formatGiven = null;
        if (Optional(root, "format") is { } f)
        {
            if (f.ValueKind != JsonValueKind.String || !AudioFormats.TryParse(f.GetString(), out format))
                throw Invalid($"Field 'format' must be one of: {string.Join(", ", AudioFormats.All.Select(AudioFormats.Name))}.");
            formatGiven = f.GetString();
        }

        var speed = 1.0;
        if (Optional(root, "speed") is { } s)
        {
            if (s.ValueKind != JsonValueKind.Number || !s.TryGetDouble(out speed) || !double.IsFinite(speed)
                || speed < SynthesisOptions.MinSpeed || speed > SynthesisOptions.MaxSpeed)
                throw Invalid($"Field 'speed' must be a number from {SynthesisOptions.MinSpeed} to {SynthesisOptions.MaxSpeed}.");
        }

        int? seed = null;
        if (Optional(root, "seed") is { } sd)
        {
            if (sd.ValueKind != JsonValueKind.Number || !sd.TryGetInt32(out var value))
                throw Invalid("Field 'seed' must be a 32-bit integer or null.");
            seed = value;
        }

        int? sampleRate = null;
        if (Optional(root, "sample_rate") is { } r)
        {
            if (r.ValueKind != JsonValueKind.Number || !r.TryGetInt32(out var value)
                || value < SynthesisOptions.MinSampleRate || value > SynthesisOptions.MaxSampleRate)
                throw Invalid($"Field 'sample_rate' must be an integer from {SynthesisOptions.MinSampleRate} to {SynthesisOptions.MaxSampleRate}.");
            sampleRate = value;
        }

        bool? stream = null;
        if (Optional(root, "stream") is { } st)
        {
            if (st.ValueKind is not (JsonValueKind.True or JsonValueKind.False)) throw Invalid("Field 'stream' must be true or false.");
            stream = st.GetBoolean();
        }

        var ssml = false;
        if (Optional(root, "ssml") is { } sm)
        {
            if (sm.ValueKind is not (JsonValueKind.True or JsonValueKind.False)) throw Invalid("Field 'ssml' must be true or false.");
            ssml = sm.GetBoolean();
        }

        string? outputFormat = null;
        int? bitrate = null;
        if (Optional(root, "output_format") is { } of)
        {
            if (of.ValueKind != JsonValueKind.String || !OutputFormatName.TryParse(of.GetString(), out var named))
                throw Invalid($"Field 'output_format' must be a name such as {OutputFormatName.Examples}.");
            if (formatGiven is not null && format != named.Format)
                throw Invalid($"Fields 'format' ({formatGiven}) and 'output_format' ({of.GetString()}) conflict; send one of them.");
            if (sampleRate is { } asked && asked != named.SampleRate)
                throw Invalid($"Fields 'sample_rate' ({asked}) and 'output_format' ({of.GetString()}) conflict; send one of them.");
            outputFormat = of.GetString();
            format = named.Format;
            sampleRate = named.SampleRate;
            bitrate = named.BitrateKbps;
        }

        return new TtsRequest(text, voice.Trim(), format, speed, seed, sampleRate)
        {
            Stream = stream,
            Ssml = ssml,
            OutputFormat = outputFormat,
            BitrateKbps = bitrate,
        };
    }

    private static string RequiredString(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            throw Invalid($"Field '{name}' is required.");
        if (value.ValueKind != JsonValueKind.String) throw Invalid($"Field '{name}' must be a string.");
        return value.GetString()!;
    }

    // An absent or null field takes its default.
    private static JsonElement? Optional(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    private static TtsRequestException Invalid(string message) => new(TtsErrorKind.InvalidInput, "invalid_request", message);

    private static TtsRequestException Refusal(JsonBodyProblem problem, long maxBodyBytes, string expected) => problem switch
    {
        JsonBodyProblem.NotJson => new(TtsErrorKind.UnsupportedMediaType, "unsupported_media_type", "Content-Type must be application/json."),
        JsonBodyProblem.TooLarge => new(TtsErrorKind.TooLarge, "payload_too_large", $"The request body exceeds {maxBodyBytes} bytes."),
        JsonBodyProblem.Empty => Invalid($"The request body is empty; send {expected}."),
        JsonBodyProblem.TrailingData => Invalid("Malformed JSON body: unexpected data after the JSON value."),
        JsonBodyProblem.InvalidUtf8 => Invalid("Malformed JSON body: it is not valid UTF-8."),
        _ => Invalid("Malformed JSON body."),
    };
}
