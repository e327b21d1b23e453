using System.Net.WebSockets;

namespace CallWaiting.Server.Realtime;

/// <summary>What a finished WebSocket session did, for the request log.</summary>
/// <param name="Voice">The voice slug, once configured.</param>
/// <param name="Characters">Characters synthesized.</param>
/// <param name="AudioSeconds">Audio produced.</param>
/// <param name="CloseStatus">The close code the server sent, or null when the connection simply broke.</param>
/// <param name="CloseReason">The reason sent with it.</param>
public sealed record SessionSummary(string? Voice, int Characters, double AudioSeconds, WebSocketCloseStatus? CloseStatus, string? CloseReason);
