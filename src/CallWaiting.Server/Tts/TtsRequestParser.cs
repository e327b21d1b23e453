using System.Buffers;
using System.Text.Json;
using CallWaiting.Speech.Codecs;
using CallWaiting.Speech.Synthesis;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace CallWaiting.Server.Tts;

/// <summary>
/// Reads and validates a POST /v1/tts body by hand, so that every malformed, oversized or hostile body gets a
/// precise 4xx JSON answer (never a binder's 500 or an HTML page): 415 unless JSON, 413 past the size limit,
/// 400 for bad JSON, wrong types or out-of-range values.
/// </summary>
public static class TtsRequestParser
{
    private const int MaxDepth = 8;

    /// <summary>Reads the body (at most <paramref name="maxBodyBytes"/>) and validates it; throws <see cref="TtsRequestException"/>.</summary>
    public static async Task<TtsRequest> ReadAsync(HttpRequest request, long maxBodyBytes, int maxTextLength, CancellationToken cancellationToken)
    {
        if (!IsJson(request.ContentType))
            throw new TtsRequestException(StatusCodes.Status415UnsupportedMediaType, "unsupported_media_type", "Content-Type must be application/json.");
        if (request.ContentLength > maxBodyBytes)
            throw TooLarge(maxBodyBytes);

        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(maxBodyBytes + 1, int.MaxValue));
        try
        {
            var length = 0;
            int read;
            while (length < buffer.Length && (read = await request.Body.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false)) > 0)
                length += read;
            if (length > maxBodyBytes) throw TooLarge(maxBodyBytes);
            return Parse(buffer.AsSpan(0, length), maxTextLength);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Validates a JSON body; throws <see cref="TtsRequestException"/> (400) naming the first problem.</summary>
    public static TtsRequest Parse(ReadOnlySpan<byte> body, int maxTextLength)
    {
        if (body.IsEmpty) throw Invalid("The request body is empty; send a JSON object with text and voice_id.");
        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = MaxDepth });
            document = JsonDocument.ParseValue(ref reader);
            if (reader.BytesConsumed != body.Length && !IsWhiteSpace(body[(int)reader.BytesConsumed..]))
                throw Invalid("Malformed JSON body: unexpected data after the JSON value.");
        }
        catch (JsonException)
        {
            throw Invalid("Malformed JSON body.");
        }

        using (document)
        {
            try
            {
                return Validate(document.RootElement, maxTextLength);
            }
            catch (InvalidOperationException)
            {
                // JsonElement.GetString refuses escapes that decode to invalid UTF-16 (lone surrogates).
                throw Invalid("Malformed JSON body: a string holds an invalid escape sequence.");
            }
        }
    }

    private static TtsRequest Validate(JsonElement root, int maxTextLength)
    {
        if (root.ValueKind != JsonValueKind.Object) throw Invalid("The request body must be a JSON object.");

        var text = RequiredString(root, "text");
        if (string.IsNullOrWhiteSpace(text)) throw Invalid("Field 'text' must not be empty.");
        if (text.Length > maxTextLength)
            throw Invalid($"Text too long: {text.Length} characters (maximum {maxTextLength}).");

        var voice = RequiredString(root, "voice_id");
        if (string.IsNullOrWhiteSpace(voice) || voice.Length > 200) throw Invalid("Field 'voice_id' must be a voice UUID or slug.");

        var format = "wav";
        if (Optional(root, "format") is { } f)
        {
            if (f.ValueKind != JsonValueKind.String || !AudioFormats.TryParse(f.GetString(), out _))
                throw Invalid($"Field 'format' must be one of: {string.Join(", ", AudioFormats.All.Select(AudioFormats.Name))}.");
            format = f.GetString()!;
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

        return new TtsRequest(text, voice.Trim(), format, speed, seed, sampleRate);
    }

    private static bool IsJson(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var media)
        && media.MediaType.HasValue
        && (media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || media.MediaType.Value!.EndsWith("+json", StringComparison.OrdinalIgnoreCase));

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

    private static bool IsWhiteSpace(ReadOnlySpan<byte> rest) => rest.IndexOfAnyExcept(" \t\r\n"u8) < 0;

    private static TtsRequestException Invalid(string message) => new(StatusCodes.Status400BadRequest, "invalid_request", message);

    private static TtsRequestException TooLarge(long max) =>
        new(StatusCodes.Status413PayloadTooLarge, "payload_too_large", $"The request body exceeds {max} bytes.");
}
