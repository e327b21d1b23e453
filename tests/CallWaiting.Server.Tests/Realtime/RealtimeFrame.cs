using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace CallWaiting.Server.Tests.Realtime;

/// <summary>One message received from the server: text, binary or the close frame, and when it arrived.</summary>
public sealed record RealtimeFrame(WebSocketMessageType Type, byte[] Data, TimeSpan At, WebSocketCloseStatus? CloseStatus = null, string? CloseReason = null)
{
    /// <summary>The text of a text frame.</summary>
    public string Text => Encoding.UTF8.GetString(Data);

    /// <summary>The "type" of a default-mode JSON message, or null.</summary>
    public string? JsonType => Type == WebSocketMessageType.Text && Json.TryGetProperty("type", out var t) ? t.GetString() : null;

    /// <summary>The frame parsed as JSON.</summary>
    public JsonElement Json
    {
        get
        {
            using var document = JsonDocument.Parse(Data);
            return document.RootElement.Clone();
        }
    }
}
