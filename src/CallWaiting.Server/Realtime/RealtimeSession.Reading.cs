using System.Net.WebSockets;

namespace CallWaiting.Server.Realtime;

// The reader: receives client messages, cuts text into utterances and queues them, and handles barge-in.
internal sealed partial class RealtimeSession
{
    private async Task ReadLoopAsync()
    {
        var closing = false;
        while (true)
        {
            var length = await ReceiveMessageAsync();
            if (length < 0)
            {
                // The client closed (or answered our close): stop at once, nothing it asked for is wanted any more.
                await CloseAsync(WebSocketCloseStatus.NormalClosure, "Closed by the client.");
                return;
            }

            if (closing || Volatile.Read(ref _closing) is not null) continue; // after close: wait for the close handshake only
            var message = ClientMessageParser.Parse(_buffer.AsSpan(0, length), configured: true);
            switch (message.Kind)
            {
                case ClientMessageKind.Text:
                    await QueueTextAsync(message.Text!);
                    if (message.Flush) await FlushAsync();
                    break;
                case ClientMessageKind.Flush:
                    await FlushAsync();
                    break;
                case ClientMessageKind.Clear:
                    Clear();
                    break;
                case ClientMessageKind.Close:
                    if (_segmenter.TakeRest() is { } rest) await QueueAsync(new Utterance(_generation, ++_sequence, rest));
                    _work.Writer.TryComplete();
                    closing = true;
                    break;
            }
        }
    }

    private async Task QueueTextAsync(string text)
    {
        _segmenter.Append(text, _ready);
        foreach (var utterance in _ready) await QueueAsync(new Utterance(_generation, ++_sequence, utterance));
        _ready.Clear();
    }

    private async Task FlushAsync()
    {
        if (_segmenter.TakeRest() is { } rest) await QueueAsync(new Utterance(_generation, ++_sequence, rest));
        await QueueAsync(new FlushMarker(_generation));
    }

    // Waits while the queue is full: this is where the reader stops reading and back-pressure starts.
    private ValueTask QueueAsync(SynthesisWork work) => _work.Writer.WriteAsync(work, _stop.Token);

    // Barge-in: queued utterances and unsent frames carry the old generation and are skipped; the running utterance is cancelled.
    private void Clear()
    {
        _segmenter.Clear();
        lock (_gate)
        {
            _generation++;
            _current?.Cancel();
        }

        if (_config!.Mode == SessionMode.Default) Enqueue(new OutboundMessage(OutboundMessage.Always, ServerMessages.Cleared(), Binary: false, Samples: 0));
    }

    /// <summary>Receives one whole message into <see cref="_buffer"/>; returns its length, or -1 when the client closed.</summary>
    private async Task<int> ReceiveMessageAsync(bool discard = false)
    {
        var max = _options.MaxMessageBytes;
        var length = 0;
        while (true)
        {
            // Grows up to one byte past the limit, so an oversized message is seen without reading all of it.
            if (length == _buffer.Length) Array.Resize(ref _buffer, Math.Min(_buffer.Length * 2, max + 1));

            // Not cancellable (that would abort the socket); the watchdog and CloseAsync end a stuck receive.
            var result = await _socket.ReceiveAsync(_buffer.AsMemory(length), CancellationToken.None);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                _peerClosed.TrySetResult();
                return -1;
            }

            if (discard)
            {
                if (result.EndOfMessage) return 0;
                continue;
            }

            if (result.MessageType == WebSocketMessageType.Binary)
                throw new RealtimeProtocolException(WebSocketCloseStatus.InvalidMessageType, "Binary frames are not accepted; send JSON text messages.");
            length += result.Count;
            if (length > max)
                throw new RealtimeProtocolException(WebSocketCloseStatus.MessageTooBig, $"Message too big: the limit is {max} bytes.");
            if (result.EndOfMessage)
            {
                Touch();
                return length;
            }
        }
    }
}
