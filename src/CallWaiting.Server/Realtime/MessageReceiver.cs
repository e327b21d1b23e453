using System.Net.WebSockets;

namespace CallWaiting.Server.Realtime;

/// <summary>
/// Receives whole client messages into one growing buffer, up to <see cref="RealtimeOptions.MaxMessageBytes"/>: a binary
/// frame closes 1003, a larger message 1009 (a <see cref="RealtimeProtocolException"/>). Notices the client's close frame.
/// One receive at a time.
/// </summary>
internal sealed class MessageReceiver(WebSocket socket, int maxMessageBytes, Action received)
{
    private readonly TaskCompletionSource _peerClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private byte[] _buffer = new byte[4096];

    /// <summary>Completes when the client's close frame arrived.</summary>
    public Task PeerClosed => _peerClosed.Task;

    /// <summary>The next whole message (valid until the next receive), or null when the client closed.</summary>
    public async Task<ReadOnlyMemory<byte>?> ReceiveAsync()
    {
        var length = 0;
        while (true)
        {
            // Grows up to one byte past the limit, so an oversized message is seen without reading all of it.
            if (length == _buffer.Length) Array.Resize(ref _buffer, Math.Min(_buffer.Length * 2, maxMessageBytes + 1));

            // Not cancellable (that would abort the socket); the watchdog and the close end a stuck receive.
            var result = await socket.ReceiveAsync(_buffer.AsMemory(length), CancellationToken.None);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                _peerClosed.TrySetResult();
                return null;
            }

            if (result.MessageType == WebSocketMessageType.Binary)
                throw new RealtimeProtocolException(WebSocketCloseStatus.InvalidMessageType, "Binary frames are not accepted; send JSON text messages.");
            length += result.Count;
            if (length > maxMessageBytes)
                throw new RealtimeProtocolException(WebSocketCloseStatus.MessageTooBig, $"Message too big: the limit is {maxMessageBytes} bytes.");
            if (result.EndOfMessage)
            {
                received();
                return _buffer.AsMemory(0, length);
            }
        }
    }

    /// <summary>After a protocol error: reads and ignores everything until the client answers the close or is dropped.</summary>
    public async Task DiscardUntilClosedAsync()
    {
        try
        {
            while (true)
            {
                var result = await socket.ReceiveAsync(_buffer, CancellationToken.None);
                if (result.MessageType != WebSocketMessageType.Close) continue;
                _peerClosed.TrySetResult();
                return;
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Dropped.
        }
    }
}
