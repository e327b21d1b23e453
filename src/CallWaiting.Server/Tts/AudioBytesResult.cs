using Microsoft.AspNetCore.Http;

namespace CallWaiting.Server.Tts;

/// <summary>
/// Sends a cache hit in its streamed form (a WAV's header says "length unknown"; whole files go through
/// <see cref="WholeFile"/>) in one write, with Content-Length, or framed whole by <paramref name="framing"/>.
/// </summary>
internal sealed class AudioBytesResult(ReadOnlyMemory<byte> audio, string contentType, AudioFraming? framing = null, double seconds = 0) : IResult
{
    /// <inheritdoc />
    public async Task ExecuteAsync(HttpContext context)
    {
        var response = context.Response;
        if (framing is null)
        {
            response.ContentType = contentType;
            response.ContentLength = audio.Length;
            await response.BodyWriter.WriteAsync(audio, context.RequestAborted);
        }
        else
        {
            response.ContentType = framing.ContentType;
            framing.WriteAudio(response.BodyWriter, audio.Span);
            framing.WriteEnd(response.BodyWriter, TimeSpan.FromSeconds(seconds));
            await response.BodyWriter.FlushAsync(context.RequestAborted);
        }
    }
}
