using Microsoft.AspNetCore.Http;

namespace CallWaiting.Server.Tts;

/// <summary>Sends a <see cref="WholeFile"/> as the response body, with Content-Length.</summary>
internal sealed class WholeFileResult(WholeFile file, string contentType) : IResult
{
    /// <inheritdoc />
    public async Task ExecuteAsync(HttpContext context)
    {
        var response = context.Response;
        response.ContentType = contentType;
        response.ContentLength = file.Length;
        await file.WriteToAsync(response.BodyWriter, context.RequestAborted);
    }
}
