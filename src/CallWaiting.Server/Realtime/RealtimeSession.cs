using System.Buffers;
using System.Net.WebSockets;
using System.Threading.Channels;
using CallWaiting.Server.ApiKeys;
using CallWaiting.Server.Tts;
using CallWaiting.Server.Voices;
using CallWaiting.Speech.Codecs;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CallWaiting.Server.Realtime;

// The session's state, construction, run and configuration; the loops live in the other RealtimeSession.*.cs parts.
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
/// time. Voice resolution, validation, synthesis and metering go through <see cref="TtsService"/>, <see cref="TtsJob"/>
/// (one per utterance) and <see cref="TtsUsageRecorder"/>, as on /v1/tts. Usage is metered per flush, and whatever was
/// produced after the last flush is metered when the session ends.
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
    private CancellationToken _shutdown;
    private Task? _sendLoop;
    private Task? _closing;
    private WebSocketCloseStatus? _closeStatus;
    private string? _closeReason;

    // Written by the synthesizer loop only.
    private long _flushCharacters;
    private long _flushSamples;
    private long _flushCachedCharacters;
    private long _flushCachedSamples;
    private TimeSpan _flushSynthesis;
    private TimeSpan? _flushFirstAudio;
    private long _totalCharacters;
    private long _totalSamples;

    public RealtimeSession(WebSocket socket, ApiKey key, TtsService tts, TtsUsageRecorder usage, RealtimeOptions options, TimeProvider time, ILogger logger)
    {
        _socket = socket;
        _key = key;
        _tts = tts;
        _usage = usage;
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
    /// <paramref name="oversizedFrame"/> completes when a frame header claims more than the message limit (1009 at once).
    /// </summary>
    public async Task<SessionSummary> RunAsync(CancellationToken shutdown, CancellationToken connectionLost, Task<long> oversizedFrame)
    {
        Touch();
        _shutdown = shutdown;
        var lost = connectionLost.Register(static state => ((CancellationTokenSource)state!).Cancel(), _stop);
        var watchdog = WatchAsync(shutdown);
        var frameLimit = RefuseOversizedFrameAsync(oversizedFrame);
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
            await Task.WhenAll(Quietly(watchdog), Quietly(frameLimit), Quietly(synthesis), Quietly(_sendLoop), Quietly(finisher));
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
            throw new RealtimeProtocolException(TryAgainLater, e.Message);
        }

        _voice = voice;
        _config = config;
        if (config.Mode == SessionMode.Twilio)
        {
            _framer = new TwilioMediaFramer(config.StreamSid!);
        }
        else
        {
            Enqueue(new OutboundMessage(OutboundMessage.Always,
                ServerMessages.Ready(voice.Id, AudioFormats.Name(config.Format), config.SampleRate, AudioFormats.ContentType(config.Format, config.SampleRate)),
                Binary: false, Samples: 0));
            StartStream(config);
        }

        return true;
    }

    // What the stream starts with, in frames no barge-in drops since all later audio depends on them: wav's header, or
    // the Ogg Opus headers of the session's one encoder (mp3 and opus continue one encoding across utterances).
    private void StartStream(SessionConfig config)
    {
        if (config.Format is not (AudioFormat.Wav or AudioFormat.Mp3 or AudioFormat.Opus)) return;
        using var wav = config.Format == AudioFormat.Wav ? AudioEncoder.Create(AudioFormat.Wav, config.SampleRate) : null;
        if (wav is null) _encoder = AudioEncoder.Create(config.Format, config.SampleRate);
        var start = new ArrayBufferWriter<byte>();
        (wav ?? _encoder)!.Flush(start);
        if (start.WrittenCount > 0) Enqueue(new OutboundMessage(OutboundMessage.Always, start.WrittenSpan.ToArray(), Binary: true, Samples: 0));
    }

    private void Touch() => Volatile.Write(ref _lastActivity, _time.GetTimestamp());

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";

    [LoggerMessage(Level = LogLevel.Information, Message = "WebSocket session ended: key={KeyPrefix} voice={Voice} characters={Characters} audio_s={AudioSeconds} close={CloseStatus} reason={Reason}")]
    private static partial void LogEnded(ILogger logger, string keyPrefix, string? voice, long characters, double audioSeconds, int? closeStatus, string? reason);
}
