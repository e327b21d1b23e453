using System.Diagnostics;
using CallWaiting.Server.ApiKeys;
using CallWaiting.Server.Tts;
using CallWaiting.Server.Voices;
using CallWaiting.Speech.Codecs;
using CallWaiting.Speech.Synthesis;
using CallWaiting.Speech.Text;

namespace CallWaiting.Server.Realtime;

/// <summary>
/// The synthesis loop: takes the queue's utterances one at a time, each a <see cref="TtsJob"/> through
/// <see cref="TtsService.OpenAudioAsync"/> (the audio cache and shared renderings, as on /v1/tts), and queues its audio
/// on the <see cref="SessionSender"/>: binary frames with their words, or Twilio media frames and a mark. Before each
/// utterance it waits until the audio not yet sent is under <see cref="RealtimeOptions.MaxBufferedAudio"/>. It answers
/// flushes and the end of input, and meters per flush (the sources meter nothing).
/// </summary>
internal sealed class UtteranceSynthesizer
{
    private const int MaxFrameSamples = 16_384;

    private readonly TtsService _tts;
    private readonly TtsUsageRecorder _usage;
    private readonly ApiKey _key;
    private readonly ResolvedVoice _voice;
    private readonly SessionConfig _config;
    private readonly UtteranceQueue _queue;
    private readonly SessionSender _sender;
    private readonly long _maxBufferedSamples;
    private readonly TwilioMediaFramer? _framer;
    private readonly List<byte[]> _frames = [];
    private long _framedGeneration;

    /// <summary>Synthesizes <paramref name="queue"/>'s utterances with <paramref name="voice"/> for <paramref name="key"/>, into <paramref name="sender"/>.</summary>
    public UtteranceSynthesizer(TtsService tts, TtsUsageRecorder usage, ApiKey key, ResolvedVoice voice, SessionConfig config, RealtimeOptions options,
        UtteranceQueue queue, SessionSender sender)
    {
        _tts = tts;
        _usage = usage;
        _key = key;
        _voice = voice;
        _config = config;
        _queue = queue;
        _sender = sender;
        _maxBufferedSamples = (long)(options.MaxBufferedAudio.TotalSeconds * _config.SampleRate);
        _framer = _config.Mode == SessionMode.Twilio ? new TwilioMediaFramer(_config.StreamSid!) : null;
    }

    /// <summary>What the session produced so far.</summary>
    public FlushMeter Meter { get; } = new();

    /// <summary>
    /// Runs until the queue is completed (then answers final and completes the sender) or <paramref name="stop"/>.
    /// A synthesis failure that ends the session is thrown as a <see cref="TtsRequestException"/>; whatever was produced
    /// is metered on every way out.
    /// </summary>
    public async Task RunAsync(CancellationToken stop)
    {
        try
        {
            await foreach (var work in _queue.ReadAllAsync(stop))
            {
                switch (work)
                {
                    case Utterance utterance:
                        await _sender.WaitForRoomAsync(_maxBufferedSamples, stop);
                        await SynthesizeAsync(utterance, stop);
                        break;
                    case FlushMarker:
                        var flush = MeterFlush();
                        if (_config.Mode == SessionMode.Default)
                            _sender.EnqueueText(work.Generation, ServerMessages.FlushDone(flush.TotalCharacters, Milliseconds(flush.TotalSamples)));
                        break;
                }
            }

            MeterFlush();
            if (_config.Mode == SessionMode.Default)
            {
                _sender.CompleteStream();
                _sender.EnqueueText(OutboundMessage.Always, ServerMessages.Final(Meter.TotalCharacters, Milliseconds(Meter.TotalSamples)));
            }

            _sender.Complete();
        }
        finally
        {
            MeterFlush();
        }
    }

    private async Task SynthesizeAsync(Utterance utterance, CancellationToken stop)
    {
        if (_queue.Start(utterance, stop) is not { } cancel) return;
        if (_framer is not null && _framedGeneration != utterance.Generation)
        {
            _framer.Reset(); // a barge-in dropped the tail of the previous utterance
            _framedGeneration = utterance.Generation;
        }

        var clock = Stopwatch.StartNew();
        long samples = 0;
        var cached = false;
        var started = false;
        AudioSource? source = null;
        try
        {
            // A prompt every call opens with is a memory read, and calls that say it at the same moment share one
            // synthesis. The session meters per flush itself, so the source meters nothing.
            var job = _tts.CreateJob(new TtsRequest(utterance.Text, _config.VoiceId, RenderedFormat(_config.Format), _config.Speed,
                SampleRate: _config.SampleRate), _voice, _key);
            source = await _tts.OpenAudioAsync(job, new TtsCaller(_key, Context: null, Stopwatch.GetTimestamp(), TtsMetering.None), cancel.Token);
            cached = source.Cached;
            started = true;
            if (!cached) Meter.FirstAudio(clock.Elapsed);
            while (await source.ReadAsync(cancel.Token) is { } piece)
                samples += Deliver(piece, utterance.Generation, samples);

            if (_framer is not null)
            {
                _framer.Complete(_frames);
                QueueFrames(utterance.Generation);
                _sender.EnqueueText(utterance.Generation, _framer.Mark($"utterance-{utterance.Sequence}"));
            }
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested && !stop.IsCancellationRequested)
        {
            // Cleared by a barge-in: what was produced is still metered below.
        }
        catch (TtsRequestException e) when (e.Kind == TtsErrorKind.InvalidInput)
        {
            if (_config.Mode == SessionMode.Default) _sender.EnqueueText(utterance.Generation, ServerMessages.Error(e.Code, e.Message));
        }
        finally
        {
            // Leaving the rendering cancels its synthesis (and frees the worker) unless another request reads it too.
            if (source is not null) await source.DisposeAsync();
            _queue.Finish(cancel);
            if (started) Meter.Add(TextLength.Of(utterance.Text), samples, cached, clock.Elapsed);
        }

        _sender.EndUtterance(utterance.Generation);
    }

    /// <summary>
    /// What each utterance is rendered as: the session's own format when its bytes can be cut and joined anywhere (they
    /// then come straight from the cache and shared renderings), else PCM16 for the sender's encoder (wav adds a header only).
    /// </summary>
    internal static AudioFormat RenderedFormat(AudioFormat format) =>
        format is AudioFormat.Pcm16 or AudioFormat.Mulaw or AudioFormat.Alaw ? format : AudioFormat.Pcm16;

    // Queues one rendered piece: Twilio frames, or binary frames of at most MaxFrameSamples, the first with the piece's
    // words (utteranceOffset: the utterance's samples queued before it, so the sender can place the words). Returns its samples.
    private int Deliver(AudioPiece piece, long generation, long utteranceOffset)
    {
        if (_framer is not null)
        {
            _framer.Write(piece.Audio.Span, _frames);
            QueueFrames(generation);
            return piece.Samples;
        }

        var words = piece.Words.Count > 0 ? piece.Words : null;
        var bytesPerSample = RenderedFormat(_config.Format) == AudioFormat.Pcm16 ? 2 : 1;
        var step = _sender.Encodes ? EncoderStep.Encode : EncoderStep.None;
        var audio = piece.Audio;
        for (var start = 0; start < audio.Length || words is not null; start += MaxFrameSamples * bytesPerSample)
        {
            var slice = audio[start..Math.Min(audio.Length, start + MaxFrameSamples * bytesPerSample)];
            _sender.Enqueue(new OutboundMessage(generation, slice.ToArray(), Binary: true, slice.Length / bytesPerSample, words,
                utteranceOffset + start / bytesPerSample, Step: step));
            words = null;
        }
        return piece.Samples;
    }

    private void QueueFrames(long generation)
    {
        foreach (var frame in _frames) _sender.Enqueue(new OutboundMessage(generation, frame, Binary: false, TwilioMediaFramer.FrameBytes, Paced: true));
        _frames.Clear();
    }

    // Charges the flush through the same recorder as /v1/tts (synthesized and cached audio as separate usage events).
    private FlushUsage MeterFlush()
    {
        var flush = Meter.Take();
        if (flush.Characters > 0 || flush.Samples > 0)
            _usage.Record(_key, _voice.Slug, _config.Format, (int)Math.Min(flush.Characters, int.MaxValue), (double)flush.Samples / _config.SampleRate,
                flush.Synthesis, flush.FirstAudio, cached: false);
        if (flush.CachedCharacters > 0 || flush.CachedSamples > 0)
            _usage.Record(_key, _voice.Slug, _config.Format, (int)Math.Min(flush.CachedCharacters, int.MaxValue), (double)flush.CachedSamples / _config.SampleRate,
                TimeSpan.Zero, null, cached: true);
        return flush;
    }

    private long Milliseconds(long samples) => samples * 1000 / _config.SampleRate;
}
