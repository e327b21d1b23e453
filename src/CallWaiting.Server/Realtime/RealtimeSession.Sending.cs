using System.Buffers;
using System.Net.WebSockets;
using System.Runtime.InteropServices;
using CallWaiting.Speech.Audio;
using CallWaiting.Speech.Codecs;

namespace CallWaiting.Server.Realtime;

// The sender: the only writer to the socket; drops cleared frames, paces Twilio frames, adds word alignment, and
// encodes mp3 and opus as the audio goes out.
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
        var encoded = new ArrayBufferWriter<byte>();
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
                var (payload, padding) = Encode(message, encoded);
                if (payload.Length > 0)
                    await _socket.SendAsync(payload, message.Binary ? WebSocketMessageType.Binary : WebSocketMessageType.Text, true, CancellationToken.None);
                sentSamples += message.Samples + padding;
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
        catch (AudioEncoderException e)
        {
            LogSynthesisFailed(_logger, e, _key.KeyPrefix);
            _ = CloseAsync(WebSocketCloseStatus.InternalServerError, "Encoding the audio failed.");
        }
    }

    // Runs the message's encoder step; returns the bytes to send and the silent samples a flush added (mp3 and opus
    // end each utterance on a frame boundary: the padding counts as sent audio, so later alignment stays true).
    private (ReadOnlyMemory<byte> Payload, int Padding) Encode(OutboundMessage message, ArrayBufferWriter<byte> encoded)
    {
        if (message.Step == EncoderStep.None || _encoder is null) return (message.Payload, 0);
        encoded.ResetWrittenCount();
        var padding = _encoder.PaddingSamples;
        switch (message.Step)
        {
            case EncoderStep.Encode:
                _encoder.Write(Pcm.Pcm16ToFloat(MemoryMarshal.Cast<byte, short>(message.Payload)), encoded);
                break;
            case EncoderStep.Flush:
                _encoder.Flush(encoded);
                break;
            case EncoderStep.Complete:
                _encoder.Complete(encoded);
                break;
        }
        return (encoded.WrittenMemory, (int)(_encoder.PaddingSamples - padding));
    }

    // The natural end: after close, once the synthesizer completed the queue and everything was sent.
    private async Task FinishWhenDrainedAsync(Task sendLoop)
    {
        await sendLoop;
        if (!_stop.IsCancellationRequested) await CloseAsync(WebSocketCloseStatus.NormalClosure, "Session complete.");
    }
}
