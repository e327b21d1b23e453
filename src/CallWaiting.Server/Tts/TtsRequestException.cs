namespace CallWaiting.Server.Tts;

/// <summary>A synthesis request that cannot be accepted; carries the HTTP status (400, 404, 413, 415, 500, 503), a stable code and a safe message.</summary>
public sealed class TtsRequestException(int status, string code, string message) : Exception(message)
{
    /// <summary>The HTTP status to answer with.</summary>
    public int Status { get; } = status;

    /// <summary>The stable error code.</summary>
    public string Code { get; } = code;

    /// <summary>The request field at fault (text, speed, sample_rate…) when one is, for APIs that name it; null otherwise.</summary>
    public string? Field { get; init; }
}
