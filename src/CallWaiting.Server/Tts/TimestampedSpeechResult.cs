using System.Text.Json;
using CallWaiting.Speech.Codecs;
using CallWaiting.Speech.Synthesis;
using Microsoft.AspNetCore.Http;

namespace CallWaiting.Server.Tts;

/// <summary>
/// Writes the <see cref="TimestampedSpeech"/> JSON of /v1/tts/with-timestamps around a <see cref="WholeFile"/>: the
/// base64 audio goes out chunk by chunk from the spool, never as one string.
/// </summary>
internal sealed class TimestampedSpeechResult(WholeFile file) : IResult
{
    private static readonly JsonEncodedText AudioBase64 = JsonEncodedText.Encode("audio_base64");
    private static readonly JsonEncodedText ContentType = JsonEncodedText.Encode("content_type");
    private static readonly JsonEncodedText Format = JsonEncodedText.Encode("format");
    private static readonly JsonEncodedText SampleRate = JsonEncodedText.Encode("sample_rate");
    private static readonly JsonEncodedText DurationMs = JsonEncodedText.Encode("duration_ms");
    private static readonly JsonEncodedText Words = JsonEncodedText.Encode("words");

    /// <inheritdoc />
    public async Task ExecuteAsync(HttpContext context)
    {
        var response = context.Response;
        response.ContentType = "application/json; charset=utf-8";
        var output = response.BodyWriter;
        var ct = context.RequestAborted;
        await using var json = new Utf8JsonWriter(output);
        json.WriteStartObject();
        json.WritePropertyName(AudioBase64);
        await file.WriteBase64Async(json, output, ct);
        json.WriteString(ContentType, AudioFormats.ContentType(file.Format, file.SampleRate));
        json.WriteString(Format, AudioFormats.Name(file.Format));
        json.WriteNumber(SampleRate, file.SampleRate);
        json.WriteNumber(DurationMs, file.DurationMs);
        json.WriteStartArray(Words);
        foreach (var word in file.Words) JsonSerializer.Serialize(json, word, TtsJson.Default.WordTiming);
        json.WriteEndArray();
        json.WriteEndObject();
        await json.FlushAsync(ct);
    }
}
