namespace CallWaiting.Server.Tts;

/// <summary>A POST /v1/tts body that cannot be accepted; carries the HTTP status (400, 413 or 415) and a safe message.</summary>
public sealed class TtsRequestException(int status, string code, string message) : Exception(message)
{
    /// <summary>The HTTP status to answer with.</summary>
    public int Status { get; } = status;

    /// <summary>The stable error code.</summary>
    public string Code { get; } = code;
}
