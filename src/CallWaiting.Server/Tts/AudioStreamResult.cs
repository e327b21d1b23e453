using System.Buffers;
using System.Diagnostics;
using CallWaiting.Server.Cache;
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
/// <remarks>
/// When the request is cacheable the bytes are copied as they stream (no byte waits for the cache) and the complete
/// rendering is stored after the response has ended; a cancelled or failed stream is never stored. A client that
/// disconnects cancels synthesis at once (the token reaches the engine worker, which is freed); if audio had already
/// been sent, what was sent is metered.
/// </remarks>
internal sealed partial class AudioStreamResult(
    SynthesisPlan plan,
    AudioEncoder encoder,
    IAsyncEnumerator<AudioChunk> chunks,
    long startedTimestamp,
    AudioCache? cache,
    AudioCacheKey? cacheKey,
    Action<StreamedAudio, TimeSpan> onDelivered,
    ILogger logger) : IResult
{
    /// <inheritdoc />
    public async Task ExecuteAsync(HttpContext context)
    {
        var response = context.Response;
        response.ContentType = AudioFormats.ContentType(plan.Format, plan.OutputSampleRate);
        var writer = response.BodyWriter;
        var capture = cache is not null && cacheKey is not null ? new CaptureBufferWriter(writer, cache.MaxEntryBytes) : null;
        IBufferWriter<byte> output = capture is null ? writer : capture;
        var ct = context.RequestAborted;
        long samples = 0;
        long sentSamples = 0;
        TimeSpan? firstAudio = null;
        using (encoder)
        {
            await using (chunks)
            {
                try
                {
                    do
                    {
                        var chunk = chunks.Current;
                        encoder.Write(chunk.Samples, output);
                        samples += chunk.Samples.Length;
                        await writer.FlushAsync(ct);
                        sentSamples = samples;
                        firstAudio ??= Stopwatch.GetElapsedTime(startedTimestamp);
                    }
                    while (await chunks.MoveNextAsync());

                    encoder.Complete(output);
                    await writer.FlushAsync(ct);
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    // The client went away; disposing the enumerator (above) cancels the worker's request.
                    if (sentSamples > 0) onDelivered(new StreamedAudio(sentSamples, plan.OutputSampleRate, firstAudio), Stopwatch.GetElapsedTime(startedTimestamp));
                    return;
                }
                catch (Exception e) when (e is EngineException or AudioEncoderException)
                {
                    LogFailedMidStream(logger, e, samples);
                    context.Features.Get<RequestTelemetry>()?.Error = "Synthesis failed after audio started; connection aborted.";
                    context.Abort();
                    return;
                }
            }
        }

        onDelivered(new StreamedAudio(samples, plan.OutputSampleRate, firstAudio), Stopwatch.GetElapsedTime(startedTimestamp));
        if (capture?.Captured is { } captured && cacheKey is { } key)
        {
            await response.CompleteAsync();
            await cache!.StoreAsync(key, new AudioCacheEntry(captured.ToArray(), plan.OutputSampleRate, (double)samples / plan.OutputSampleRate), CancellationToken.None);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Synthesis failed after {Samples} samples were streamed; aborting the response")]
    private static partial void LogFailedMidStream(ILogger logger, Exception exception, long samples);
}
