using System.Buffers;
using System.Diagnostics;
using System.Text.Json;
using CallWaiting.Speech.Codecs;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CallWaiting.Server.Tts;

/// <summary>
/// Streams NDJSON for /v1/tts/stream-with-timestamps: one line per rendered piece with its encoded audio (base64) and
/// the words whose timing became complete, flushed at once, then a last line with "done" and the duration. A client
/// disconnect leaves the rendering (cancelling synthesis unless another request reads it); what was sent is metered,
/// as for /v1/tts.
/// </summary>
internal sealed partial class TimestampStreamResult(
    AudioFormat format,
    int sampleRate,
    Func<CancellationToken, ValueTask<AudioPiece?>> next,
    IAsyncDisposable? owner,
    long startedTimestamp,
    Action<double, TimeSpan, TimeSpan?> onDelivered,
    ILogger logger) : IResult
{
    /// <summary>A source that yields <paramref name="audio"/> as one piece (a cache hit).</summary>
    public static Func<CancellationToken, ValueTask<AudioPiece?>> Whole(RenderedAudio audio)
    {
        var sent = false;
        return _ =>
        {
            if (sent) return ValueTask.FromResult<AudioPiece?>(null);
            sent = true;
            return ValueTask.FromResult<AudioPiece?>(audio.AsPiece());
        };
    }

    /// <inheritdoc />
    public async Task ExecuteAsync(HttpContext context)
    {
        context.Response.ContentType = TimestampEndpoints.NdjsonContentType;
        var writer = context.Response.BodyWriter;
        var ct = context.RequestAborted;
        await using var json = new Utf8JsonWriter(writer);
        long samples = 0;
        long sentSamples = 0;
        TimeSpan? firstAudio = null;
        try
        {
            var first = true;
            while (await next(ct) is { } piece)
            {
                WriteLine(json, writer, piece.Audio.Span, piece.Words, first);
                first = false;
                samples += piece.Samples;
                await writer.FlushAsync(ct);
                sentSamples = samples;
                firstAudio ??= Stopwatch.GetElapsedTime(startedTimestamp);
            }

            WriteLine(json, writer, [], [], first, doneMs: (long)Math.Round(samples * 1000.0 / sampleRate));
            await writer.FlushAsync(ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            if (sentSamples > 0) onDelivered(sentSamples / (double)sampleRate, Stopwatch.GetElapsedTime(startedTimestamp), firstAudio);
            return;
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
            return;
        }
        finally
        {
            if (owner is not null) await owner.DisposeAsync();
        }

        onDelivered(samples / (double)sampleRate, Stopwatch.GetElapsedTime(startedTimestamp), firstAudio);
    }

    private void WriteLine(Utf8JsonWriter json, IBufferWriter<byte> output, ReadOnlySpan<byte> audio, IReadOnlyList<WordTiming> words, bool first, long? doneMs = null)
    {
        json.Reset(output);
        json.WriteStartObject();
        if (first)
        {
            json.WriteString("content_type", AudioFormats.ContentType(format, sampleRate));
            json.WriteString("format", AudioFormats.Name(format));
            json.WriteNumber("sample_rate", sampleRate);
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
