using System.Buffers;
using System.Net.WebSockets;
using System.Runtime.InteropServices;
using System.Threading.Channels;
using CallWaiting.Speech.Audio;
using CallWaiting.Speech.Codecs;

namespace CallWaiting.Server.Realtime;

/// <summary>
/// The sender: the only writer to the socket (as WebSocket requires). It sends queued messages in order, drops those of a
/// barge-in generation that was cleared, paces Twilio frames in real time when asked, sends an alignment message before
/// the binary frame its words belong to, and runs the session's one mp3 or opus encoder as audio goes out (so audio a
/// barge-in drops never reaches it and the stream stays one stream). It counts audio not yet sent, so synthesis can
/// wait for a slow client (<see cref="WaitForRoomAsync"/>).
/// </summary>
internal sealed class SessionSender : IDisposable
{
    private readonly WebSocket _socket;
    private readonly SessionConfig _config;
    private readonly UtteranceQueue _queue;
    private readonly TimeProvider _time;
    private readonly Action _sent;
    private readonly AudioBacklog _backlog = new();
    private readonly Channel<OutboundMessage> _outbound =
        Channel.CreateUnbounded<OutboundMessage>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = false });
    private readonly AudioEncoder? _encoder;
    private long _sentSamples;

    /// <summary>
    /// A sender for a session of <paramref name="config"/>; messages of a generation other than <paramref name="queue"/>'s
    /// are dropped, and <paramref name="sent"/> runs after each message that went out.
    /// </summary>
    public SessionSender(WebSocket socket, SessionConfig config, UtteranceQueue queue, TimeProvider time, Action sent)
    {
        _socket = socket;
        _config = config;
        _queue = queue;
        _time = time;
        _sent = sent;
        // mp3 and opus continue one encoding across utterances; every other format is sent as rendered.
        if (config.Mode == SessionMode.Default && config.Format is AudioFormat.Mp3 or AudioFormat.Opus)
            _encoder = AudioEncoder.Create(config.Format, config.SampleRate);
    }

    /// <summary>Whether audio is encoded here as it goes out (mp3, opus): it is then queued as PCM16.</summary>
    public bool Encodes => _encoder is not null;

    /// <summary>Output samples queued and not yet sent (or dropped).</summary>
    public long Backlog => _backlog.Pending;

    /// <summary>The encoder's failure, after <see cref="SendEnd.EncoderFailed"/>.</summary>
    public AudioEncoderException? Failure { get; private set; }

    /// <summary>Queues a message; ignored once the sender is completed (the session is closing).</summary>
    public void Enqueue(OutboundMessage message)
    {
        if (!_outbound.Writer.TryWrite(message)) return;
        _backlog.Add(message.Samples);
    }

    /// <summary>Queues a JSON text message of <paramref name="generation"/>.</summary>
    public void EnqueueText(long generation, byte[] json) => Enqueue(new OutboundMessage(generation, json, Binary: false, Samples: 0));

    /// <summary>
    /// Queues what the stream starts with, in a frame no barge-in drops since all later audio depends on it: wav's header,
    /// or the Ogg Opus headers of the session's encoder.
    /// </summary>
    public void StartStream()
    {
        using var wav = _config.Format == AudioFormat.Wav ? AudioEncoder.Create(AudioFormat.Wav, _config.SampleRate) : null;
        var start = new ArrayBufferWriter<byte>();
        (wav ?? _encoder)?.Flush(start);
        if (start.WrittenCount > 0) Enqueue(new OutboundMessage(OutboundMessage.Always, start.WrittenSpan.ToArray(), Binary: true, Samples: 0));
    }

    /// <summary>
    /// The end of an utterance: no audio of it may wait inside the encoder (mp3 and opus hold back up to a frame) for text
    /// that may never come, so the encoder is flushed after its last audio.
    /// </summary>
    public void EndUtterance(long generation)
    {
        if (_encoder is not null) Enqueue(new OutboundMessage(generation, [], Binary: true, Samples: 0, Step: EncoderStep.Flush));
    }

    /// <summary>The end of the stream (Ogg's end-of-stream page), sent even after a barge-in.</summary>
    public void CompleteStream()
    {
        if (_encoder is not null) Enqueue(new OutboundMessage(OutboundMessage.Always, [], Binary: true, Samples: 0, Step: EncoderStep.Complete));
    }

    /// <summary>Nothing more will be queued: <see cref="RunAsync"/> ends once everything queued is sent.</summary>
    public void Complete() => _outbound.Writer.TryComplete();

    /// <summary>Completes once fewer than <paramref name="samples"/> output samples wait to be sent.</summary>
    public Task WaitForRoomAsync(long samples, CancellationToken cancellationToken) => _backlog.WaitBelowAsync(samples, cancellationToken);

    /// <summary>Sends until the queue is completed and drained, the session stops, the connection breaks or the encoder fails.</summary>
    public async Task<SendEnd> RunAsync(CancellationToken stop)
    {
        var pacer = _config.RealtimePacing ? new FramePacer(_time, TwilioMediaFramer.FrameDuration) : null;
        var encoded = new ArrayBufferWriter<byte>();
        try
        {
            await foreach (var message in _outbound.Reader.ReadAllAsync(stop))
            {
                if (message.Generation != OutboundMessage.Always && message.Generation != _queue.Generation)
                {
                    _backlog.Release(message.Samples);
                    continue;
                }

                if (message.Paced && pacer is not null) await pacer.WaitAsync(stop);
                if (message.Words is { } words)
                {
                    var alignment = ServerMessages.Alignment(words, _sentSamples - message.UtteranceOffset, _config.SampleRate);
                    await _socket.SendAsync(alignment, WebSocketMessageType.Text, true, CancellationToken.None);
                }

                // Not cancellable: cancelling a send aborts the socket. A send stuck on a client that stopped reading is
                // ended by the close dropping the connection after its grace period. An mp3 or opus encoder may hold a
                // short slice back entirely: its samples still count, and its alignment describes the next frame.
                var (payload, padding) = Encode(message, encoded);
                if (payload.Length > 0)
                    await _socket.SendAsync(payload, message.Binary ? WebSocketMessageType.Binary : WebSocketMessageType.Text, true, CancellationToken.None);
                _sentSamples += message.Samples + padding;
                _backlog.Release(message.Samples);
                _sent();
            }

            return SendEnd.Drained;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return SendEnd.Stopped;
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException)
        {
            return SendEnd.ConnectionLost;
        }
        catch (AudioEncoderException e)
        {
            Failure = e;
            return SendEnd.EncoderFailed;
        }
    }

    /// <summary>Releases the encoder; call after <see cref="RunAsync"/> has ended.</summary>
    public void Dispose() => _encoder?.Dispose();

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
}
