using System.Buffers;
using CallWaiting.Server.Observability;
using CallWaiting.Speech.Codecs;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CallWaiting.Server.Tts;

/// <summary>
/// Streams an <see cref="AudioSource"/> whose first audio is already available (so any refusal could still become a
/// JSON error): the headers go out with the first bytes, each piece is flushed as it comes (wrapped by <c>framing</c>
/// when the response is not the bare audio file), and a synthesis failure after that aborts the connection rather than
/// appending JSON to audio. What was flushed is reported to the source, which meters it.
/// </summary>
/// <remarks>
/// The rendering itself fills the cache when it completes. A client that disconnects leaves the rendering, which
/// cancels synthesis at once (the worker is freed) unless another request is still reading it; if audio had already
/// been sent, what was sent is metered.
/// </remarks>
internal sealed partial class AudioStreamResult(AudioSource source, AudioFormat format, AudioFraming? framing, ILogger logger) : IResult
{
    /// <summary>
    /// The streamed answer of <paramref name="source"/>: a cache hit in one write (with Content-Length, or framed
    /// whole), anything else piece by piece.
    /// </summary>
    public static IResult Of(AudioSource source, AudioFormat format, AudioFraming? framing, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(source);
        return source.Hit is { } hit
            ? new AudioBytesResult(hit.Audio, AudioFormats.ContentType(format, hit.SampleRate), framing, hit.Seconds)
            : new AudioStreamResult(source, format, framing, logger);
    }

    /// <inheritdoc />
    public async Task ExecuteAsync(HttpContext context)
    {
        var response = context.Response;
        response.ContentType = framing?.ContentType ?? AudioFormats.ContentType(format, source.SampleRate);
        var writer = response.BodyWriter;
        var ct = context.RequestAborted;
        long samples = 0;
        await using (source)
        {
            try
            {
                while (await source.ReadAsync(ct) is { } piece)
                {
                    if (framing is null) writer.Write(piece.Audio.Span);
                    else framing.WriteAudio(writer, piece.Audio.Span);
                    samples += piece.Samples;
                    await writer.FlushAsync(ct);
                    source.Sent(piece.Samples);
                }

                if (framing is not null)
                {
                    framing.WriteEnd(writer, TimeSpan.FromSeconds((double)samples / source.SampleRate));
                    await writer.FlushAsync(ct);
                }
                source.Complete();
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                // The client went away; leaving the rendering (above) cancels the worker's request and meters what was sent.
            }
            catch (TtsRequestException e)
            {
                LogFailedMidStream(logger, e, samples);
                context.Features.Get<RequestTelemetry>()?.Error = "Synthesis failed after audio started; connection aborted.";
                context.Abort();
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Synthesis failed after {Samples} samples were streamed; aborting the response")]
    private static partial void LogFailedMidStream(ILogger logger, Exception exception, long samples);
}
