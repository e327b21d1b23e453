using System.Net.WebSockets;
using System.Text;
using CallWaiting.Server.Tts;

namespace CallWaiting.Server.Realtime;

/// <summary>Close codes and reasons of the WebSocket that <see cref="WebSocketCloseStatus"/> does not name.</summary>
internal static class RealtimeClose
{
    /// <summary>RFC 6455's registry has 1013 for "try again later" (engines busy); 1001 is kept for shutdown.</summary>
    public const WebSocketCloseStatus TryAgainLater = (WebSocketCloseStatus)1013;

    /// <summary>The reason sent with 1001.</summary>
    public const string ShutdownReason = "The server is shutting down.";

    private const int MaxReasonBytes = 123;

    /// <summary>
    /// The close for a synthesis failure that ends the session: 1001 while the server shuts down (stopping engines fail
    /// the utterance in progress; the client must hear why, not that they were busy), 1013 when the engines are busy or
    /// unavailable, else 1011.
    /// </summary>
    public static (WebSocketCloseStatus Status, string Reason) ForFailure(TtsRequestException failure, bool shuttingDown) => failure.Kind switch
    {
        _ when shuttingDown => (WebSocketCloseStatus.EndpointUnavailable, ShutdownReason),
        TtsErrorKind.Overloaded => (TryAgainLater, "All speech engines are busy; reconnect shortly."),
        TtsErrorKind.Unavailable => (TryAgainLater, failure.Message),
        _ => (WebSocketCloseStatus.InternalServerError, "Speech synthesis failed."),
    };

    /// <summary>Close reasons are at most 123 UTF-8 bytes (RFC 6455 §5.5); cut on a character boundary.</summary>
    public static string Truncate(string reason)
    {
        if (Encoding.UTF8.GetByteCount(reason) <= MaxReasonBytes) return reason;
        var length = reason.Length;
        while (Encoding.UTF8.GetByteCount(reason.AsSpan(0, length)) > MaxReasonBytes - 3) length--;
        if (length > 0 && char.IsHighSurrogate(reason[length - 1])) length--;
        return string.Concat(reason.AsSpan(0, length), "…");
    }
}
