using System.Net.WebSockets;
using CallWaiting.Server.Twilio;

namespace CallWaiting.Server.Realtime;

// The sender: the only writer to the socket; drops cleared frames, paces Twilio frames, adds word alignment.
internal sealed partial class RealtimeSession
{
    private void Enqueue(OutboundMessage message)
    {
        if (!_outbound.Writer.TryWrite(message)) return; // closing: nothing more goes out
        _backlog.Add(message.Samples);
    }

    private async Task SendLoopAsync()
    {
        var config = _config!;
        var pacer = config.RealtimePacing ? new FramePacer(_time, TwilioMediaFramer.FrameDuration) : null;
        long sentSamples = 0;
        try
        {
            await foreach (var message in _outbound.Reader.ReadAllAsync(_stop.Token))
            {
                if (message.Generation != OutboundMessage.Always && message.Generation != Volatile.Read(ref _generation))
                {
                    _backlog.Release(message.Samples);
                    continue;
                }

                if (message.Paced && pacer is not null) await pacer.WaitAsync(_stop.Token);
                if (message.Words is { } words)
                {
                    var alignment = ServerMessages.Alignment(words, sentSamples - message.UtteranceOffset, config.SampleRate);
                    await _socket.SendAsync(alignment, WebSocketMessageType.Text, true, CancellationToken.None);
                }

                // Not cancellable: cancelling a send aborts the socket. A send stuck on a client that stopped reading is
                // ended by CloseAsync dropping the connection after the grace period. An mp3 or opus encoder may hold a
                // short slice back entirely: its samples still count, and its alignment describes the next frame.
                if (message.Payload.Length > 0)
                    await _socket.SendAsync(message.Payload, message.Binary ? WebSocketMessageType.Binary : WebSocketMessageType.Text, true, CancellationToken.None);
                sentSamples += message.Samples;
                _backlog.Release(message.Samples);
                Touch();
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Closing.
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException)
        {
            await _stop.CancelAsync(); // the client is gone
        }
    }

    // The natural end: after close, once the synthesizer completed the queue and everything was sent.
    private async Task FinishWhenDrainedAsync(Task sendLoop)
    {
        await sendLoop;
        if (!_stop.IsCancellationRequested) await CloseAsync(WebSocketCloseStatus.NormalClosure, "Session complete.");
    }
}
