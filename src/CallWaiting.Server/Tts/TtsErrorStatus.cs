using Microsoft.AspNetCore.Http;

namespace CallWaiting.Server.Tts;

/// <summary>The HTTP edge's reading of a <see cref="TtsErrorKind"/>.</summary>
public static class TtsErrorStatus
{
    /// <summary>The HTTP status that answers <paramref name="kind"/>.</summary>
    public static int Of(TtsErrorKind kind) => kind switch
    {
        TtsErrorKind.InvalidInput => StatusCodes.Status400BadRequest,
        TtsErrorKind.TooLarge => StatusCodes.Status413PayloadTooLarge,
        TtsErrorKind.UnsupportedMediaType => StatusCodes.Status415UnsupportedMediaType,
        TtsErrorKind.NotFound => StatusCodes.Status404NotFound,
        TtsErrorKind.Overloaded or TtsErrorKind.Unavailable => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status500InternalServerError,
    };
}
