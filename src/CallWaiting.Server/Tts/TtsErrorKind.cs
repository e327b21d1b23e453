namespace CallWaiting.Server.Tts;

/// <summary>
/// What kind of refusal or failure a synthesis met, whatever transport answers it: each edge maps it to its own wire
/// (an HTTP status, a WebSocket close code, OpenAI's error).
/// </summary>
public enum TtsErrorKind
{
    /// <summary>The request cannot be synthesized as asked (bad field, unknown format, nothing to speak).</summary>
    InvalidInput,

    /// <summary>The request body is larger than allowed.</summary>
    TooLarge,

    /// <summary>The request body is not of a media type the endpoint reads.</summary>
    UnsupportedMediaType,

    /// <summary>The voice does not exist for the caller's tenant.</summary>
    NotFound,

    /// <summary>Every speech engine is busy.</summary>
    Overloaded,

    /// <summary>Something synthesis needs (the engines while they start, the database) is unavailable for now.</summary>
    Unavailable,

    /// <summary>Synthesis or encoding failed.</summary>
    Failed,
}
