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
/// headers go out with the first audio bytes, each chunk is flushed as it comes (through the job's extra tempo stage,
/// if any, and wrapped by <c>framing</c> when the response is not the bare audio file), and an engine failure after
/// that aborts the connection rather than appending JSON to audio.
/// </summary>
/// <remarks>
/// When the request is cacheable the encoded bytes are copied as they stream (no byte waits for the cache) and the
/// complete rendering is stored after the response has ended; a cancelled or failed stream is never stored. A client
/// that disconnects cancels synthesis at once (the token reaches the engine worker, which is freed); if audio had
/// already been sent, what was sent is metered.
/// </remarks>
internal sealed partial class AudioStreamResult(
    SynthesisPlan plan,
    AudioEncoder encoder,
    TempoChanger? tempo,
    IAsyncEnumerator<AudioChunk> chunks,
    long startedTimestamp,
    AudioCache? cache,
    AudioCacheKey? cacheKey,
    AudioFraming? framing,
    Action<StreamedAudio, TimeSpan> onDelivered,
    ILogger logger) : IResult
{
    /// <inheritdoc />
    public async Task ExecuteAsync(HttpContext context)
    {
        var response = context.Response;
        response.ContentType = framing?.ContentType ?? AudioFormats.ContentType(plan.Format, plan.OutputSampleRate);
        var writer = response.BodyWriter;
        // A framed response wraps each piece of encoded audio, so the encoder writes to a scratch buffer first.
        var scratch = framing is null ? null : new ArrayBufferWriter<byte>(16 * 1024);
        IBufferWriter<byte> sink = scratch is null ? writer : scratch;
        var capture = cache is not null && cacheKey is not null ? new CaptureBufferWriter(sink, cache.MaxEntryBytes) : null;
        IBufferWriter<byte> output = capture is null ? sink : capture;
        var ct = context.RequestAborted;
        long samples = 0;
        long sentSamples = 0;
        TimeSpan? firstAudio = null;
        using (encoder)
        using (tempo)
        {
            await using (chunks)
            {
                try
                {
                    do
                    {
                        var audio = tempo is null ? chunks.Current.Samples : tempo.Process(chunks.Current.Samples);
                        encoder.Write(audio, output);
                        samples += audio.Length;
                        Emit(scratch, writer);
                        await writer.FlushAsync(ct);
                        sentSamples = samples;
                        firstAudio ??= Stopwatch.GetElapsedTime(startedTimestamp);
                    }
                    while (await chunks.MoveNextAsync());

                    if (tempo is not null)
                    {
                        var tail = tempo.Flush();
                        encoder.Write(tail, output);
                        samples += tail.Length;
                    }
                    encoder.Complete(output);
                    Emit(scratch, writer);
                    framing?.WriteEnd(writer, TimeSpan.FromSeconds((double)samples / plan.OutputSampleRate));
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

    // Moves what the encoder wrote to the scratch buffer into the response through the framing.
    private void Emit(ArrayBufferWriter<byte>? scratch, IBufferWriter<byte> writer)
    {
        if (scratch is null) return;
        framing!.WriteAudio(writer, scratch.WrittenSpan);
        scratch.ResetWrittenCount();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Synthesis failed after {Samples} samples were streamed; aborting the response")]
    private static partial void LogFailedMidStream(ILogger logger, Exception exception, long samples);
}
