using System.Buffers;
using System.Text.Json;
using CallWaiting.Speech.Codecs;
using CallWaiting.Speech.Synthesis;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CallWaiting.Server.Tts;

/// <summary>
/// Streams NDJSON for /v1/tts/stream-with-timestamps: one line per rendered piece with its encoded audio (base64) and
/// the words whose timing became complete, flushed at once, then a last line with "done" and the duration. A client
/// disconnect leaves the rendering (cancelling synthesis unless another request reads it); what was sent is metered,
/// as for /v1/tts.
/// </summary>
internal sealed partial class TimestampStreamResult(AudioSource source, AudioFormat format, ILogger logger) : IResult
{
    private readonly int _sampleRate = source.SampleRate;

    /// <inheritdoc />
    public async Task ExecuteAsync(HttpContext context)
    {
        context.Response.ContentType = TimestampEndpoints.NdjsonContentType;
        var writer = context.Response.BodyWriter;
        var ct = context.RequestAborted;
        await using var json = new Utf8JsonWriter(writer);
        long samples = 0;
        await using (source)
        {
            try
            {
                var first = true;
                while (await source.ReadAsync(ct) is { } piece)
                {
                    WriteLine(json, writer, piece.Audio.Span, piece.Words, first);
                    first = false;
                    samples += piece.Samples;
                    await writer.FlushAsync(ct);
                    source.Sent(piece.Samples);
                }

                WriteLine(json, writer, [], [], first, doneMs: (long)Math.Round(samples * 1000.0 / _sampleRate));
                await writer.FlushAsync(ct);
                source.Complete();
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                // The client went away: leaving the source (above) meters what was sent.
            }
            catch (TtsRequestException e)
            {
                LogFailedMidStream(logger, e, samples);
                json.Reset(writer);
                json.WriteStartObject();
                json.WriteStartObject("error");
                json.WriteString("code", "synthesis_failed");
                json.WriteString("detail", "Synthesis failed after audio started; the stream is incomplete.");
                json.WriteEndObject();
                json.WriteEndObject();
                json.Flush();
                writer.Write("\n"u8);
                await writer.FlushAsync(CancellationToken.None);
            }
        }
    }

    private void WriteLine(Utf8JsonWriter json, IBufferWriter<byte> output, ReadOnlySpan<byte> audio, IReadOnlyList<WordTiming> words, bool first, long? doneMs = null)
    {
        json.Reset(output);
        json.WriteStartObject();
        if (first)
        {
            json.WriteString("content_type", AudioFormats.ContentType(format, _sampleRate));
            json.WriteString("format", AudioFormats.Name(format));
            json.WriteNumber("sample_rate", _sampleRate);
        }
        json.WriteBase64String("audio_base64", audio);
        json.WriteStartArray("words");
        foreach (var word in words)
        {
            json.WriteStartObject();
            json.WriteString("word", word.Word);
            json.WriteNumber("start_ms", word.StartMs);
            json.WriteNumber("end_ms", word.EndMs);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        if (doneMs is { } duration)
        {
            json.WriteBoolean("done", true);
            json.WriteNumber("duration_ms", duration);
        }
        json.WriteEndObject();
        json.Flush();
        output.Write("\n"u8);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Synthesis failed after {Samples} samples were streamed with timestamps; ending the stream with an error line")]
    private static partial void LogFailedMidStream(ILogger logger, Exception exception, long samples);
}
