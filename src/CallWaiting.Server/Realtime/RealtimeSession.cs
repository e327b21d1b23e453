using System.Buffers;
using System.Data.Common;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;
using CallWaiting.Server.ApiKeys;
using CallWaiting.Server.Observability;
using CallWaiting.Server.Twilio;
using CallWaiting.Server.Usage;
using CallWaiting.Server.Voices;
using CallWaiting.Speech.Codecs;
using CallWaiting.Speech.Engines;
using CallWaiting.Speech.Synthesis;
using CallWaiting.Speech.Text;
using Microsoft.Extensions.Logging;

namespace CallWaiting.Server.Realtime;

/// <summary>
/// One /v1/tts/ws connection (protocol: docs/WEBSOCKET.md). Three loops share the socket:
/// <list type="bullet">
/// <item>the reader (the request's own task) parses client messages, cuts text into utterances and queues them in a
/// bounded channel; when that channel is full it stops reading, so a client that outpaces synthesis or its own
/// reading meets TCP back-pressure instead of growing a buffer;</item>
/// <item>the synthesizer prepares and streams one utterance at a time, encodes it and queues the frames; before each
/// utterance it waits until the audio not yet sent is under <see cref="RealtimeOptions.MaxBufferedAudio"/>;</item>
/// <item>the sender is the only writer to the socket (as WebSocket requires): it drops frames a barge-in cleared,
/// paces Twilio frames in real time when asked, and adds alignment before each binary audio frame.</item>
/// </list>
/// A watchdog closes idle and over-long sessions. Every close goes through <see cref="CloseAsync"/>: stop the loops,
/// let the sender finish its frame, send the close frame, and drop the connection if the client does not answer in
/// time. Usage is metered per flush, and whatever was produced after the last flush is metered when the session ends.
/// </summary>
internal sealed partial class RealtimeSession
{
    private const int MaxFrameSamples = 16_384;
    private const int MaxCloseReasonBytes = 123;

    private readonly WebSocket _socket;
    private readonly ApiKey _key;
    private readonly Synthesizer _synthesizer;
    private readonly VoiceResolver _resolver;
    private readonly IApiMeter _meter;
    private readonly ServerMetrics _metrics;
    private readonly RealtimeOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private readonly AudioBacklog _backlog = new();
    private readonly Channel<SynthesisWork> _work;
    private readonly Channel<OutboundMessage> _outbound =
        Channel.CreateUnbounded<OutboundMessage>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = false });
    private readonly TextSegmenter _segmenter;
    private readonly List<string> _ready = [];
    private readonly TaskCompletionSource _peerClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private byte[] _buffer = new byte[4096];

    private SessionConfig? _config;
    private ResolvedVoice? _voice;
    private AudioEncoder? _encoder;
    private TwilioMediaFramer? _framer;
    private long _generation;
    private long _framedGeneration;
    private CancellationTokenSource? _current;
    private int _sequence;
    private long _lastActivity;
    private Task? _sendLoop;
    private Task? _closing;
    private WebSocketCloseStatus? _closeStatus;
    private string? _closeReason;

    // Written by the synthesizer loop only.
    private long _flushCharacters;
    private long _flushSamples;
    private long _flushSynthesisMs;
    private long _totalCharacters;
    private long _totalSamples;

    public RealtimeSession(WebSocket socket, ApiKey key, Synthesizer synthesizer, VoiceResolver resolver, IApiMeter meter,
        ServerMetrics metrics, RealtimeOptions options, TimeProvider time, ILogger logger)
    {
        _socket = socket;
        _key = key;
        _synthesizer = synthesizer;
        _resolver = resolver;
        _meter = meter;
        _metrics = metrics;
        _options = options;
        _time = time;
        _logger = logger;
        _segmenter = new TextSegmenter(options.MaxUtteranceChars, options.ClauseSplitChars);
        _work = Channel.CreateBounded<SynthesisWork>(new BoundedChannelOptions(options.MaxQueuedUtterances)
        {
            SingleReader = true,
            SingleWriter = false, // the reader writes; a closing session completes it from another thread
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    /// <summary>
    /// Runs the session until it closes; <paramref name="shutdown"/> closes it with 1001, and <paramref name="connectionLost"/>
    /// (the request's abort token) stops it at once: Kestrel discards writes to a dropped connection without an error,
    /// so without it a client that vanished while the server was not reading would keep synthesis running.
    /// </summary>
    public async Task<SessionSummary> RunAsync(CancellationToken shutdown, CancellationToken connectionLost)
    {
        Touch();
        var lost = connectionLost.Register(static state => ((CancellationTokenSource)state!).Cancel(), _stop);
        var watchdog = WatchAsync(shutdown);
        Task? synthesis = null;
        Task? finisher = null;
        try
        {
            if (await ConfigureAsync())
            {
                synthesis = SynthesizeLoopAsync();
                _sendLoop = SendLoopAsync();
                finisher = FinishWhenDrainedAsync(_sendLoop);
                await ReadLoopAsync();
            }
            else
            {
                await CloseAsync(WebSocketCloseStatus.NormalClosure, "Closed by the client.");
            }
        }
        catch (RealtimeProtocolException e)
        {
            _ = CloseAsync(e.Status, e.Message);
            await DrainUntilClosedAsync();
        }
        catch (OperationCanceledException) when (Volatile.Read(ref _closing) is not null)
        {
            // The reader was waiting for room in the queue when the session began to close.
            await DrainUntilClosedAsync();
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The connection broke, or the client sent frame-level garbage: then the WebSocket itself has sent a close
            // (1002) and dropped the connection. Either way nothing more can be said to the client.
        }
        finally
        {
            await _stop.CancelAsync();
            await Task.WhenAll(Quietly(watchdog), Quietly(synthesis), Quietly(_sendLoop), Quietly(finisher));
            await Quietly(Volatile.Read(ref _closing)); // every loop has ended, so no other close can begin now
            // A close frame that went out (ours, or the WebSocket's own after a protocol error) is left to be read: the
            // connection then ends with the request. Only a connection still open is dropped.
            if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived) _socket.Abort();
            _encoder?.Dispose();
            await lost.DisposeAsync(); // waits for a running callback, so _stop is not cancelled after its disposal
            _stop.Dispose();
        }

        var audioSeconds = _config is null ? 0 : (double)_totalSamples / _config.SampleRate;
        LogEnded(_logger, _key.KeyPrefix, _voice?.Slug, _totalCharacters, Math.Round(audioSeconds, 2), (int?)_closeStatus, _closeReason);
        return new SessionSummary(_voice?.Slug, (int)Math.Min(_totalCharacters, int.MaxValue), audioSeconds, _closeStatus, _closeReason);
    }

    // Reads and applies the config message; false when the client left before sending one.
    private async Task<bool> ConfigureAsync()
    {
        var length = await ReceiveMessageAsync();
        if (length < 0) return false;
        var config = ClientMessageParser.Parse(_buffer.AsSpan(0, length), configured: false).Config!;

        ResolvedVoice? voice;
        try
        {
            voice = await _resolver.ResolveAsync(_synthesizer.Catalog, config.VoiceId, _key.TenantId, _stop.Token);
        }
        catch (Exception e) when (e is DbException or TimeoutException)
        {
            throw new RealtimeProtocolException(WebSocketCloseStatus.EndpointUnavailable, "Private voices cannot be looked up right now; retry shortly.");
        }

        _voice = voice ?? throw new RealtimeProtocolException(WebSocketCloseStatus.PolicyViolation, $"Voice '{Shorten(config.VoiceId)}' was not found.");
        _config = config;
        _encoder = AudioEncoder.Create(config.Format, config.SampleRate);
        if (config.Mode == SessionMode.Twilio)
        {
            _framer = new TwilioMediaFramer(config.StreamSid!);
        }
        else
        {
            Enqueue(new OutboundMessage(OutboundMessage.Always,
                ServerMessages.Ready(voice.Id, AudioFormats.Name(config.Format), config.SampleRate, _encoder.ContentType), Binary: false, Samples: 0));
        }

        return true;
    }

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

    private async Task SynthesizeLoopAsync()
    {
        var config = _config!;
        var limit = (long)(_options.MaxBufferedAudio.TotalSeconds * config.SampleRate);
        try
        {
            await foreach (var work in _work.Reader.ReadAllAsync(_stop.Token))
            {
                if (work.Generation != Volatile.Read(ref _generation)) continue;
                switch (work)
                {
                    case Utterance utterance:
                        await _backlog.WaitBelowAsync(limit, _stop.Token);
                        await SynthesizeAsync(utterance);
                        break;
                    case FlushMarker:
                        var (characters, samples) = MeterFlush();
                        if (config.Mode == SessionMode.Default)
                            Enqueue(new OutboundMessage(work.Generation, ServerMessages.FlushDone(characters, samples * 1000 / config.SampleRate), Binary: false, Samples: 0));
                        break;
                }
            }

            MeterFlush();
            if (config.Mode == SessionMode.Default)
                Enqueue(new OutboundMessage(OutboundMessage.Always, ServerMessages.Final(_totalCharacters, _totalSamples * 1000 / config.SampleRate), Binary: false, Samples: 0));
            _outbound.Writer.TryComplete();
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            MeterFlush();
        }
        catch (EngineException e) when (e.Kind == EngineErrorKind.Overloaded)
        {
            MeterFlush();
            await CloseAsync(WebSocketCloseStatus.EndpointUnavailable, "All speech engines are busy; reconnect shortly.");
        }
        catch (EngineException e)
        {
            MeterFlush();
            LogSynthesisFailed(_logger, e, _key.KeyPrefix);
            await CloseAsync(WebSocketCloseStatus.InternalServerError, "Speech synthesis failed.");
        }
    }

    private async Task SynthesizeAsync(Utterance utterance)
    {
        var config = _config!;
        CancellationTokenSource cancel;
        lock (_gate)
        {
            if (utterance.Generation != _generation) return;
            cancel = _current = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        }

        if (_framer is not null && _framedGeneration != utterance.Generation)
        {
            _framer.Reset(); // a barge-in dropped the tail of the previous utterance
            _framedGeneration = utterance.Generation;
        }

        var clock = Stopwatch.StartNew();
        long samples = 0;
        var frames = new List<byte[]>();
        var encoded = new ArrayBufferWriter<byte>();
        try
        {
            var plan = _synthesizer.Prepare(new SynthesisRequest
            {
                Text = utterance.Text,
                Voice = _voice!.Speaker.Slug,
                Format = config.Format,
                SampleRate = config.SampleRate,
                Speed = config.Speed,
            });
            await foreach (var chunk in plan.StreamAsync(cancel.Token))
            {
                if (samples == 0)
                {
                    _flushCharacters += utterance.Text.Length;
                    _totalCharacters += utterance.Text.Length;
                    _metrics.TimeToFirstAudio.Observe(clock.Elapsed.TotalSeconds);
                }

                samples += chunk.Samples.Length;
                if (_framer is not null) QueueTwilio(chunk.Samples, utterance.Generation, encoded, frames);
                else QueueAudio(chunk, utterance.Generation, encoded);
            }

            if (_framer is not null)
            {
                _framer.Complete(frames);
                QueueFrames(frames, utterance.Generation);
                Enqueue(new OutboundMessage(utterance.Generation, _framer.Mark($"utterance-{utterance.Sequence}"), Binary: false, Samples: 0));
            }
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested && !_stop.IsCancellationRequested)
        {
            // Cleared by a barge-in: what was produced is still metered below.
        }
        catch (Exception e) when (e is TextInputException or SynthesisRequestException
                                  || e is EngineException { Kind: EngineErrorKind.InvalidRequest })
        {
            if (config.Mode == SessionMode.Default)
                Enqueue(new OutboundMessage(utterance.Generation, ServerMessages.Error("invalid_text", e.Message), Binary: false, Samples: 0));
        }
        finally
        {
            lock (_gate) _current = null;
            cancel.Dispose();
            _flushSamples += samples;
            _totalSamples += samples;
            _flushSynthesisMs += clock.ElapsedMilliseconds;
        }
    }

    // Default mode: one binary frame per slice of at most MaxFrameSamples; the first slice carries the chunk's words.
    private void QueueAudio(Speech.Audio.AudioChunk chunk, long generation, ArrayBufferWriter<byte> encoded)
    {
        var all = chunk.Samples.AsSpan();
        for (var start = 0; start < all.Length; start += MaxFrameSamples)
        {
            var slice = all.Slice(start, Math.Min(MaxFrameSamples, all.Length - start));
            encoded.ResetWrittenCount();
            _encoder!.Write(slice, encoded);
            var words = start == 0 && chunk.Words.Count > 0 ? chunk.Words : null;
            Enqueue(new OutboundMessage(generation, encoded.WrittenSpan.ToArray(), Binary: true, slice.Length, Words: words, WordsSpan: all.Length));
        }
    }

    private void QueueTwilio(float[] samples, long generation, ArrayBufferWriter<byte> encoded, List<byte[]> frames)
    {
        encoded.ResetWrittenCount();
        _encoder!.Write(samples, encoded);
        _framer!.Write(encoded.WrittenSpan, frames);
        QueueFrames(frames, generation);
    }

    private void QueueFrames(List<byte[]> frames, long generation)
    {
        foreach (var frame in frames) Enqueue(new OutboundMessage(generation, frame, Binary: false, TwilioMediaFramer.FrameBytes, Paced: true));
        frames.Clear();
    }

    private void Enqueue(OutboundMessage message)
    {
        if (!_outbound.Writer.TryWrite(message)) return; // closing: nothing more goes out
        _backlog.Add(message.Samples);
    }

    // Charges what was produced since the last flush; returns it (characters, samples).
    private (long Characters, long Samples) MeterFlush()
    {
        var produced = (_flushCharacters, _flushSamples);
        if (_flushCharacters > 0 || _flushSamples > 0)
        {
            var config = _config!;
            _meter.RecordSynthesis(_key, _time.GetUtcNow(), (int)Math.Min(_flushCharacters, int.MaxValue), (double)_flushSamples / config.SampleRate, _flushSynthesisMs);
            _metrics.TtsRequests.WithLabels(_voice!.Slug, AudioFormats.Name(config.Format)).Inc();
            _metrics.GenerationDuration.Observe(_flushSynthesisMs / 1000.0);
        }

        _flushCharacters = _flushSamples = _flushSynthesisMs = 0;
        return produced;
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
                    var alignment = ServerMessages.Alignment(words, sentSamples, message.WordsSpan, config.SampleRate);
                    await _socket.SendAsync(alignment, WebSocketMessageType.Text, true, CancellationToken.None);
                }

                // Not cancellable: cancelling a send aborts the socket. A send stuck on a client that stopped reading is
                // ended by CloseAsync dropping the connection after the grace period.
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

    private async Task WatchAsync(CancellationToken shutdown)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token, shutdown);
        var started = _time.GetTimestamp();
        try
        {
            while (true)
            {
                var now = _time.GetTimestamp();
                var sessionLeft = _options.MaxSessionDuration - _time.GetElapsedTime(started, now);
                if (sessionLeft <= TimeSpan.Zero)
                {
                    await CloseAsync(WebSocketCloseStatus.PolicyViolation, $"Maximum session duration of {_options.MaxSessionDuration} reached.");
                    return;
                }

                // Synthesis in progress counts as activity; a client that stops reading does not (its sends stall).
                bool busy;
                lock (_gate) busy = _current is not null;
                if (busy) Touch();
                var idleLeft = _options.IdleTimeout - _time.GetElapsedTime(Volatile.Read(ref _lastActivity), now);
                if (idleLeft <= TimeSpan.Zero)
                {
                    await CloseAsync(WebSocketCloseStatus.PolicyViolation, $"Idle timeout: nothing received or sent for {_options.IdleTimeout.TotalSeconds:0.#} s.");
                    return;
                }

                var wait = idleLeft < sessionLeft ? idleLeft : sessionLeft;
                if (busy && wait > TimeSpan.FromSeconds(1)) wait = TimeSpan.FromSeconds(1);
                await Task.Delay(wait, _time, linked.Token);
            }
        }
        catch (OperationCanceledException) when (shutdown.IsCancellationRequested && !_stop.IsCancellationRequested)
        {
            await CloseAsync(WebSocketCloseStatus.EndpointUnavailable, "The server is shutting down.");
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // The session is closing.
        }
    }

    /// <summary>Closes the session once (later calls share the first): stops the loops, sends the close frame, drops a silent client.</summary>
    private Task CloseAsync(WebSocketCloseStatus status, string reason)
    {
        lock (_gate)
        {
            if (_closing is not null) return _closing;
            _closeStatus = status;
            _closeReason = reason;
            _closing = CloseCoreAsync(status, reason);
            return _closing;
        }
    }

    private async Task CloseCoreAsync(WebSocketCloseStatus status, string reason)
    {
        await Task.Yield(); // never run the close under the caller's lock
        await _stop.CancelAsync();
        _work.Writer.TryComplete();
        _outbound.Writer.TryComplete();
        if (_sendLoop is { } sending && !await FinishesWithinAsync(sending, _options.CloseGrace))
        {
            _socket.Abort(); // the last send is stuck on a client that does not read
            return;
        }

        try
        {
            if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                using var timeout = new CancellationTokenSource(_options.CloseGrace);
                await _socket.CloseOutputAsync(status, Truncate(reason), timeout.Token);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            _socket.Abort();
            return;
        }

        // The reader is waiting for the client's close frame; a client that never answers is dropped.
        if (!await FinishesWithinAsync(_peerClosed.Task, _options.CloseGrace)) _socket.Abort();
    }

    // After a protocol error the reader loop is gone: read (and ignore) until the client answers the close or is dropped.
    private async Task DrainUntilClosedAsync()
    {
        try
        {
            while (await ReceiveMessageAsync(discard: true) >= 0)
            {
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Dropped.
        }
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

    private void Touch() => Volatile.Write(ref _lastActivity, _time.GetTimestamp());

    private static async Task<bool> FinishesWithinAsync(Task task, TimeSpan timeout)
    {
        try
        {
            await task.WaitAsync(timeout);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    private static async Task Quietly(Task? task)
    {
        if (task is null) return;
        try
        {
            await task;
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The session is over; these are the expected ways its loops stop.
        }
    }

    // Close reasons are at most 123 UTF-8 bytes (RFC 6455 §5.5); cut on a character boundary.
    private static string Truncate(string reason)
    {
        if (Encoding.UTF8.GetByteCount(reason) <= MaxCloseReasonBytes) return reason;
        var length = reason.Length;
        while (Encoding.UTF8.GetByteCount(reason.AsSpan(0, length)) > MaxCloseReasonBytes - 3) length--;
        if (length > 0 && char.IsHighSurrogate(reason[length - 1])) length--;
        return string.Concat(reason.AsSpan(0, length), "…");
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";

    [LoggerMessage(Level = LogLevel.Information, Message = "WebSocket session ended: key={KeyPrefix} voice={Voice} characters={Characters} audio_s={AudioSeconds} close={CloseStatus} reason={Reason}")]
    private static partial void LogEnded(ILogger logger, string keyPrefix, string? voice, long characters, double audioSeconds, int? closeStatus, string? reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "WebSocket synthesis failed for key {KeyPrefix}; closing the session")]
    private static partial void LogSynthesisFailed(ILogger logger, Exception exception, string keyPrefix);
}
