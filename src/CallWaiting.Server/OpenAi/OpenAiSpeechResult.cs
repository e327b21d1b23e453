using System.Buffers;
using System.Diagnostics;
using CallWaiting.Server.Observability;
using CallWaiting.Speech.Audio;
using CallWaiting.Speech.Codecs;
using CallWaiting.Speech.Engines;
using CallWaiting.Speech.Synthesis;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CallWaiting.Server.OpenAi;

/// <summary>
/// Streams a speech synthesis whose first chunk is already in hand, as raw audio or as OpenAI's SSE events: each chunk
/// is encoded and flushed as it comes, through an extra tempo stage when the asked-for speed lies beyond what the
/// synthesizer does alone. An engine failure after the headers aborts the connection rather than ending the stream as
/// if it were complete.
/// </summary>
internal sealed partial class OpenAiSpeechResult(
    SynthesisPlan plan,
    IAsyncEnumerator<AudioChunk> chunks,
    double extraTempo,
    bool sse,
    long startedTimestamp,
    Action<StreamedAudio, TimeSpan> onCompleted,
    ILogger logger) : IResult
{
    /// <inheritdoc />
    public async Task ExecuteAsync(HttpContext context)
    {
        var response = context.Response;
        response.ContentType = sse ? SpeechSse.ContentType : AudioFormats.ContentType(plan.Format, plan.OutputSampleRate);
        // Proxies such as nginx buffer responses by default, which would hold back the first audio.
        response.Headers["X-Accel-Buffering"] = "no";
        var writer = response.BodyWriter;
        var ct = context.RequestAborted;
        long samples = 0;
        TimeSpan? firstAudio = null;
        await using (chunks)
        {
            try
            {
                using var tempo = extraTempo == 1.0 ? null : new TempoChanger(plan.OutputSampleRate, extraTempo);
                using var encoder = plan.CreateEncoder();
                // SSE wraps each piece of encoded audio in an event, so the encoder writes to a scratch buffer first.
                var scratch = sse ? new ArrayBufferWriter<byte>(16 * 1024) : null;
                IBufferWriter<byte> target = scratch ?? (IBufferWriter<byte>)writer;
                do
                {
                    var output = tempo is null ? chunks.Current.Samples : tempo.Process(chunks.Current.Samples);
                    encoder.Write(output, target);
                    samples += output.Length;
                    Emit(scratch, writer);
                    await writer.FlushAsync(ct);
                    firstAudio ??= Stopwatch.GetElapsedTime(startedTimestamp);
                }
                while (await chunks.MoveNextAsync());

                if (tempo is not null)
                {
                    var tail = tempo.Flush();
                    encoder.Write(tail, target);
                    samples += tail.Length;
                }
                encoder.Complete(target);
                Emit(scratch, writer);
                if (sse) SpeechSse.WriteDone(writer, OpenAiUsage.For(plan.BilledCharacters, Duration(samples)));
                await writer.FlushAsync(ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return; // The client went away; synthesis was cancelled with it and nothing is charged.
            }
            catch (Exception e) when (e is EngineException or AudioEncoderException)
            {
                LogFailedMidStream(logger, e, samples);
                context.Features.Get<RequestTelemetry>()?.Error = "Synthesis failed after audio started; connection aborted.";
                context.Abort();
                return;
            }
        }

        onCompleted(new StreamedAudio(samples, plan.OutputSampleRate, firstAudio), Stopwatch.GetElapsedTime(startedTimestamp));
    }

    private TimeSpan Duration(long samples) => TimeSpan.FromSeconds((double)samples / plan.OutputSampleRate);

    // Moves what the encoder wrote to the scratch buffer into the response as one delta event.
    private static void Emit(ArrayBufferWriter<byte>? scratch, IBufferWriter<byte> writer)
    {
        if (scratch is null) return;
        SpeechSse.WriteDelta(writer, scratch.WrittenSpan);
        scratch.ResetWrittenCount();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Speech synthesis failed after {Samples} samples were streamed; aborting the response")]
    private static partial void LogFailedMidStream(ILogger logger, Exception exception, long samples);
}
