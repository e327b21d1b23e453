using Microsoft.AspNetCore.Http;

namespace CallWaiting.Server.Tts;

/// <summary>
/// Sends audio that is already complete (a cache hit, or stream:false) in one write, with Content-Length; then, with
/// the response completed, runs <paramref name="afterSent"/> (filling the cache) so the client never waits for it.
/// </summary>
internal sealed class AudioBytesResult(ReadOnlyMemory<byte> audio, string contentType, Func<Task>? afterSent = null) : IResult
{
    /// <inheritdoc />
    public async Task ExecuteAsync(HttpContext context)
    {
        var response = context.Response;
        response.ContentType = contentType;
        response.ContentLength = audio.Length;
        await response.BodyWriter.WriteAsync(audio, context.RequestAborted);
        if (afterSent is null) return;
        await response.CompleteAsync();
        await afterSent();
    }
}
