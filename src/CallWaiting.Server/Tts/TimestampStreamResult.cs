using System.Buffers;
using System.Diagnostics;
using System.Text.Json;
using CallWaiting.Speech.Audio;
using CallWaiting.Speech.Codecs;
using CallWaiting.Speech.Engines;
using CallWaiting.Speech.Synthesis;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CallWaiting.Server.Tts;

/// <summary>
/// Streams NDJSON for /v1/tts/stream-with-timestamps: per synthesized chunk one line with that chunk's encoded audio
/// (base64) and the words whose timing became complete, flushed at once. A client disconnect cancels synthesis;
/// what was sent is metered, as for /v1/tts.
/// </summary>
internal sealed partial class TimestampStreamResult(
    TtsJob job,
    SynthesisPlan plan,
    AudioEncoder encoder,
    IAsyncEnumerator<AudioChunk> chunks,
    long startedTimestamp,
    Action<double, TimeSpan, TimeSpan?> onDelivered,
    ILogger logger) : IResult
{
    /// <inheritdoc />
    public async Task ExecuteAsync(HttpContext context)
    {
        context.Response.ContentType = TimestampEndpoints.NdjsonContentType;
        var writer = context.Response.BodyWriter;
        var ct = context.RequestAborted;
        var audio = new ArrayBufferWriter<byte>(16 * 1024);
        var words = new List<WordTiming>();
        var timeline = new WordTimeline(plan.OutputSampleRate);
        await using var json = new Utf8JsonWriter(writer);
        long sentSamples = 0;
        TimeSpan? firstAudio = null;
        using (encoder)
        {
            await using (chunks)
            {
                try
                {
                    var first = true;
                    do
                    {
                        audio.ResetWrittenCount();
                        words.Clear();
                        encoder.Write(chunks.Current.Samples, audio);
                        timeline.Add(chunks.Current, words);
                        WriteLine(json, writer, audio.WrittenSpan, words, first, done: false);
                        first = false;
                        await writer.FlushAsync(ct);
                        sentSamples = timeline.Samples;
                        firstAudio ??= Stopwatch.GetElapsedTime(startedTimestamp);
                    }
                    while (await chunks.MoveNextAsync());

                    audio.ResetWrittenCount();
                    words.Clear();
                    encoder.Complete(audio);
                    timeline.Finish(words);
                    WriteLine(json, writer, audio.WrittenSpan, words, first: false, done: true, timeline.DurationMs);
                    await writer.FlushAsync(ct);
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    if (sentSamples > 0) onDelivered(sentSamples / (double)plan.OutputSampleRate, Stopwatch.GetElapsedTime(startedTimestamp), firstAudio);
                    return;
                }
                catch (Exception e) when (e is EngineException or AudioEncoderException)
                {
                    LogFailedMidStream(logger, e, timeline.Samples);
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
            }
        }

        onDelivered(timeline.Samples / (double)plan.OutputSampleRate, Stopwatch.GetElapsedTime(startedTimestamp), firstAudio);
    }

    private void WriteLine(Utf8JsonWriter json, IBufferWriter<byte> output, ReadOnlySpan<byte> audio, List<WordTiming> words, bool first, bool done, long durationMs = 0)
    {
        json.Reset(output);
        json.WriteStartObject();
        if (first)
        {
            json.WriteString("content_type", AudioFormats.ContentType(job.Format, plan.OutputSampleRate));
            json.WriteString("format", AudioFormats.Name(job.Format));
            json.WriteNumber("sample_rate", plan.OutputSampleRate);
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
        if (done)
        {
            json.WriteBoolean("done", true);
            json.WriteNumber("duration_ms", durationMs);
        }
        json.WriteEndObject();
        json.Flush();
        output.Write("\n"u8);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Synthesis failed after {Samples} samples were streamed with timestamps; ending the stream with an error line")]
    private static partial void LogFailedMidStream(ILogger logger, Exception exception, long samples);
}
