using System.Diagnostics;
using CallWaiting.Server.Observability;
using CallWaiting.Speech.Audio;
using CallWaiting.Speech.Codecs;
using CallWaiting.Speech.Engines;
using CallWaiting.Speech.Synthesis;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CallWaiting.Server.Tts;

/// <summary>
/// Streams a synthesis whose first chunk is already in hand (so any refusal could still become a JSON error): the
/// headers go out with the first audio bytes, each chunk is flushed as it comes, and an engine failure after that
/// aborts the connection rather than appending JSON to audio.
/// </summary>
internal sealed partial class AudioStreamResult(
    SynthesisPlan plan,
    IAsyncEnumerator<AudioChunk> chunks,
    long startedTimestamp,
    Action<StreamedAudio, TimeSpan> onCompleted,
    ILogger logger) : IResult
{
    /// <inheritdoc />
    public async Task ExecuteAsync(HttpContext context)
    {
        var response = context.Response;
        response.ContentType = AudioFormats.ContentType(plan.Format, plan.OutputSampleRate);
        var writer = response.BodyWriter;
        var ct = context.RequestAborted;
        long samples = 0;
        TimeSpan? firstAudio = null;
        await using (chunks)
        {
            try
            {
                using var encoder = plan.CreateEncoder();
                do
                {
                    var chunk = chunks.Current;
                    encoder.Write(chunk.Samples, writer);
                    samples += chunk.Samples.Length;
                    await writer.FlushAsync(ct);
                    firstAudio ??= Stopwatch.GetElapsedTime(startedTimestamp);
                }
                while (await chunks.MoveNextAsync());

                encoder.Complete(writer);
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

    [LoggerMessage(Level = LogLevel.Error, Message = "Synthesis failed after {Samples} samples were streamed; aborting the response")]
    private static partial void LogFailedMidStream(ILogger logger, Exception exception, long samples);
}
