using System.Buffers;
using System.Diagnostics;
using CallWaiting.Server.Observability;
using CallWaiting.Speech.Codecs;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CallWaiting.Server.Tts;

/// <summary>
/// Streams a rendering whose first audio is already available (so any refusal could still become a JSON error): the
/// headers go out with the first bytes, each piece is flushed as it comes (wrapped by <c>framing</c> when the response
/// is not the bare audio file), and a synthesis failure after that aborts the connection rather than appending JSON
/// to audio.
/// </summary>
/// <remarks>
/// The rendering itself fills the cache when it completes. A client that disconnects leaves the rendering, which
/// cancels synthesis at once (the worker is freed) unless another request is still reading it; if audio had already
/// been sent, what was sent is metered.
/// </remarks>
internal sealed partial class AudioStreamResult(
    AudioRenderingReader reader,
    AudioFormat format,
    long startedTimestamp,
    AudioFraming? framing,
    Action<double, TimeSpan, TimeSpan?> onDelivered,
    ILogger logger) : IResult
{
    /// <inheritdoc />
    public async Task ExecuteAsync(HttpContext context)
    {
        var response = context.Response;
        response.ContentType = framing?.ContentType ?? AudioFormats.ContentType(format, reader.SampleRate);
        var writer = response.BodyWriter;
        var ct = context.RequestAborted;
        long samples = 0;
        long sentSamples = 0;
        TimeSpan? firstAudio = null;
        await using (reader)
        {
            try
            {
                while (await reader.ReadAsync(ct) is { } piece)
                {
                    if (framing is null) writer.Write(piece.Audio.Span);
                    else framing.WriteAudio(writer, piece.Audio.Span);
                    samples += piece.Samples;
                    await writer.FlushAsync(ct);
                    sentSamples = samples;
                    firstAudio ??= Stopwatch.GetElapsedTime(startedTimestamp);
                }

                if (framing is not null)
                {
                    framing.WriteEnd(writer, TimeSpan.FromSeconds((double)samples / reader.SampleRate));
                    await writer.FlushAsync(ct);
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                // The client went away; leaving the rendering (above) cancels the worker's request.
                if (sentSamples > 0) onDelivered((double)sentSamples / reader.SampleRate, Stopwatch.GetElapsedTime(startedTimestamp), firstAudio);
                return;
            }
            catch (TtsRequestException e)
            {
                LogFailedMidStream(logger, e, samples);
                context.Features.Get<RequestTelemetry>()?.Error = "Synthesis failed after audio started; connection aborted.";
                context.Abort();
                return;
            }
        }

        onDelivered((double)samples / reader.SampleRate, Stopwatch.GetElapsedTime(startedTimestamp), firstAudio);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Synthesis failed after {Samples} samples were streamed; aborting the response")]
    private static partial void LogFailedMidStream(ILogger logger, Exception exception, long samples);
}
