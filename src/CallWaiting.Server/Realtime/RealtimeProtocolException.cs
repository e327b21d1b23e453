using System.Net.WebSockets;

namespace CallWaiting.Server.Realtime;

/// <summary>A client broke the WebSocket protocol; the session closes with <see cref="Status"/> and the message as reason.</summary>
public sealed class RealtimeProtocolException(WebSocketCloseStatus status, string message) : Exception(message)
{
    /// <summary>The close code to send.</summary>
    public WebSocketCloseStatus Status { get; } = status;
}
