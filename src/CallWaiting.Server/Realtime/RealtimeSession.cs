using System.Net.WebSockets;
using CallWaiting.Server.ApiKeys;
using CallWaiting.Server.Tts;
using CallWaiting.Server.Voices;
using CallWaiting.Speech.Codecs;
using Microsoft.Extensions.Logging;

namespace CallWaiting.Server.Realtime;

/// <summary>
/// One /v1/tts/ws connection (protocol: docs/WEBSOCKET.md) and its lifecycle: configuration, the loops, and the close.
/// Its parts, each with its own state:
/// <list type="bullet">
/// <item>the reader (the request's own task) receives client messages (<see cref="MessageReceiver"/>), cuts text into
/// utterances (<see cref="InputSegmenter"/>) and queues them in the bounded <see cref="UtteranceQueue"/>, which also
/// holds the barge-in generation;</item>
/// <item>the <see cref="UtteranceSynthesizer"/> synthesizes one utterance at a time through <see cref="TtsService"/>
/// and meters per flush;</item>
/// <item>the <see cref="SessionSender"/> is the only writer to the socket;</item>
/// <item>the <see cref="SessionWatchdog"/> ends idle and over-long sessions.</item>
/// </list>
/// Every close goes through <see cref="CloseAsync"/>, once: stop the loops, let the sender finish its frame, send the
/// close frame, and drop the connection if the client does not answer in time.
/// </summary>
internal sealed partial class RealtimeSession
{
    private readonly WebSocket _socket;
    private readonly ApiKey _key;
    private readonly TtsService _tts;
    private readonly TtsUsageRecorder _usage;
    private readonly RealtimeOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly CloseHandshake _close;
    private readonly SessionWatchdog _watchdog;
    private readonly MessageReceiver _receiver;
    private readonly InputSegmenter _input;
    private readonly UtteranceQueue _queue;

    private SessionConfig? _config;
    private ResolvedVoice? _voice;
    private SessionSender? _sender;
    private UtteranceSynthesizer? _synthesizer;
    private CancellationToken _shutdown;
    private Task? _sendLoop;

    public RealtimeSession(WebSocket socket, ApiKey key, TtsService tts, TtsUsageRecorder usage, RealtimeOptions options, TimeProvider time, ILogger logger)
    {
        _socket = socket;
        _key = key;
        _tts = tts;
        _usage = usage;
        _options = options;
        _time = time;
        _logger = logger;
        _watchdog = new SessionWatchdog(options, time);
        _receiver = new MessageReceiver(socket, options.MaxMessageBytes, _watchdog.Touch);
        _input = new InputSegmenter(options.MaxUtteranceChars, options.ClauseSplitChars);
        _queue = new UtteranceQueue(options.MaxQueuedUtterances);
        _close = new CloseHandshake(socket, options.CloseGrace, _receiver.PeerClosed, StopLoopsAsync);
    }

    /// <summary>
    /// Runs the session until it closes; <paramref name="shutdown"/> closes it with 1001, and <paramref name="connectionLost"/>
    /// (the request's abort token) stops it at once: Kestrel discards writes to a dropped connection without an error,
    /// so without it a client that vanished while the server was not reading would keep synthesis running.
    /// <paramref name="oversizedFrame"/> completes when a frame header claims more than the message limit (1009 at once),
    /// <paramref name="keyRefused"/> when the session's key is revoked, suspended or expires (1008 with the reason).
    /// </summary>
    public async Task<SessionSummary> RunAsync(CancellationToken shutdown, CancellationToken connectionLost, Task<long> oversizedFrame, Task<string> keyRefused)
    {
        _watchdog.Touch();
        _shutdown = shutdown;
        var lost = connectionLost.Register(static state => ((CancellationTokenSource)state!).Cancel(), _stop);
        var watchdog = WatchAsync(shutdown);
        var frameLimit = RefuseOversizedFrameAsync(oversizedFrame);
        var keyWatch = RefuseUnusableKeyAsync(keyRefused);
        Task? synthesis = null;
        Task? finisher = null;
        try
        {
            if (await ConfigureAsync())
            {
                synthesis = SynthesizeAsync(_synthesizer!);
                var sending = _sender!.RunAsync(_stop.Token);
                _sendLoop = sending;
                finisher = FinishWhenSentAsync(sending);
                await new SessionReader(_receiver, _input, _queue, _sender, _config!, () => _close.Closing is not null).RunAsync(_stop.Token);
                await CloseAsync(WebSocketCloseStatus.NormalClosure, "Closed by the client."); // nothing it asked for is wanted any more
            }
            else
            {
                await CloseAsync(WebSocketCloseStatus.NormalClosure, "Closed by the client.");
            }
        }
        catch (RealtimeProtocolException e)
        {
            _ = CloseAsync(e.Status, e.Message);
            await _receiver.DiscardUntilClosedAsync();
        }
        catch (OperationCanceledException) when (_close.Closing is not null)
        {
            // The reader was waiting for room in the queue when the session began to close.
            await _receiver.DiscardUntilClosedAsync();
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The connection broke, or the client sent frame-level garbage: then the WebSocket itself has sent a close
            // (1002) and dropped the connection. Either way nothing more can be said to the client.
        }
        finally
        {
            await _stop.CancelAsync();
            await Task.WhenAll(Quietly(watchdog), Quietly(frameLimit), Quietly(keyWatch), Quietly(synthesis), Quietly(_sendLoop), Quietly(finisher));
            await Quietly(_close.Closing); // every loop has ended, so no other close can begin now
            // A close frame that went out (ours, or the WebSocket's own after a protocol error) is left to be read: the
            // connection then ends with the request. Only a connection still open is dropped.
            if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived) _socket.Abort();
            _sender?.Dispose();
            await lost.DisposeAsync(); // waits for a running callback, so _stop is not cancelled after its disposal
            _stop.Dispose();
        }

        var characters = _synthesizer?.Meter.TotalCharacters ?? 0;
        var audioSeconds = _config is null ? 0 : (double)(_synthesizer?.Meter.TotalSamples ?? 0) / _config.SampleRate;
        LogEnded(_logger, _key.KeyPrefix, _voice?.Slug, characters, Math.Round(audioSeconds, 2), (int?)_close.Status, _close.Reason);
        return new SessionSummary(_voice?.Slug, (int)Math.Min(characters, int.MaxValue), audioSeconds, _close.Status, _close.Reason);
    }

    // Reads and applies the config message; false when the client left before sending one.
    private async Task<bool> ConfigureAsync()
    {
        if (await _receiver.ReceiveAsync() is not { } message) return false;
        var config = ClientMessageParser.Parse(message.Span, configured: false).Config!;

        ResolvedVoice voice;
        try
        {
            voice = await _tts.ResolveVoiceAsync(config.VoiceId, _key, _stop.Token);
        }
        catch (TtsRequestException e) when (e.Kind == TtsErrorKind.NotFound)
        {
            throw new RealtimeProtocolException(WebSocketCloseStatus.PolicyViolation, $"Voice '{Shorten(config.VoiceId)}' was not found.");
        }
        catch (TtsRequestException e)
        {
            // Unavailable: the engines are not running, or private voices cannot be looked up right now.
            throw new RealtimeProtocolException(RealtimeClose.TryAgainLater, e.Message);
        }

        _voice = voice;
        _config = config;
        _sender = new SessionSender(_socket, config, _queue, _time, _watchdog.Touch);
        _synthesizer = new UtteranceSynthesizer(_tts, _usage, _key, voice, config, _options, _queue, _sender);
        if (config.Mode == SessionMode.Default)
        {
            _sender.EnqueueText(OutboundMessage.Always,
                ServerMessages.Ready(voice.Id, AudioFormats.Name(config.Format), config.SampleRate, AudioFormats.ContentType(config.Format, config.SampleRate)));
            _sender.StartStream();
        }

        return true;
    }

    // The synthesis loop, with its failures mapped to close codes.
    private async Task SynthesizeAsync(UtteranceSynthesizer synthesizer)
    {
        try
        {
            await synthesizer.RunAsync(_stop.Token);
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Closing.
        }
        catch (TtsRequestException e)
        {
            var (status, reason) = RealtimeClose.ForFailure(e, _shutdown.IsCancellationRequested);
            if (status == WebSocketCloseStatus.InternalServerError) LogSynthesisFailed(_logger, e, _key.KeyPrefix);
            await CloseAsync(status, reason);
        }
    }

    // The natural end (after close, once synthesis completed the queue and everything was sent), or the sender's failure.
    private async Task FinishWhenSentAsync(Task<SendEnd> sending)
    {
        switch (await sending)
        {
            case SendEnd.Drained when !_stop.IsCancellationRequested:
                await CloseAsync(WebSocketCloseStatus.NormalClosure, "Session complete.");
                break;
            case SendEnd.ConnectionLost:
                await _stop.CancelAsync(); // the client is gone
                break;
            case SendEnd.EncoderFailed:
                LogSynthesisFailed(_logger, _sender!.Failure!, _key.KeyPrefix);
                await CloseAsync(WebSocketCloseStatus.InternalServerError, "Encoding the audio failed.");
                break;
        }
    }

    private async Task WatchAsync(CancellationToken shutdown)
    {
        if (await _watchdog.WatchAsync(() => _queue.Busy, _stop.Token, shutdown) is { } close) await CloseAsync(close.Status, close.Reason);
    }

    // The reader may be waiting for a payload that never comes, so the close cannot wait for it to see the size.
    private async Task RefuseOversizedFrameAsync(Task<long> oversizedFrame)
    {
        var claimed = await oversizedFrame.WaitAsync(_stop.Token);
        await CloseAsync(WebSocketCloseStatus.MessageTooBig, $"Message too big: a frame of {claimed} bytes; the limit is {_options.MaxMessageBytes} bytes.");
    }

    // A revoked key ends the call it opened at once, as it refuses every new request.
    private async Task RefuseUnusableKeyAsync(Task<string> keyRefused)
    {
        var reason = await keyRefused.WaitAsync(_stop.Token);
        await CloseAsync(WebSocketCloseStatus.PolicyViolation, reason);
    }

    private Task CloseAsync(WebSocketCloseStatus status, string reason) => _close.CloseAsync(status, reason);

    // The close's first step: no loop goes on, no entry or message is taken any more; the sender may finish its frame.
    private async Task<Task?> StopLoopsAsync()
    {
        await _stop.CancelAsync();
        _queue.Complete();
        _sender?.Complete();
        return _sendLoop;
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

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";

    [LoggerMessage(Level = LogLevel.Information, Message = "WebSocket session ended: key={KeyPrefix} voice={Voice} characters={Characters} audio_s={AudioSeconds} close={CloseStatus} reason={Reason}")]
    private static partial void LogEnded(ILogger logger, string keyPrefix, string? voice, long characters, double audioSeconds, int? closeStatus, string? reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "WebSocket synthesis failed for key {KeyPrefix}; closing the session")]
    private static partial void LogSynthesisFailed(ILogger logger, Exception exception, string keyPrefix);
}
