namespace CallWaiting.Server.Tts;

/// <summary>
/// A synthesis request that cannot be accepted or did not complete: its <see cref="TtsErrorKind"/>, a stable code and
/// a safe message; each transport maps the kind to its own wire.
/// </summary>
public sealed class TtsRequestException(TtsErrorKind kind, string code, string message) : Exception(message)
{
    /// <summary>What went wrong, for the transport to answer in its own terms.</summary>
    public TtsErrorKind Kind { get; } = kind;

    /// <summary>The stable error code.</summary>
    public string Code { get; } = code;

    /// <summary>The request field at fault (text, speed, sample_rate…) when one is, for APIs that name it; null otherwise.</summary>
    public string? Field { get; init; }
}
