using System.Diagnostics;
using System.Net.WebSockets;
using CallWaiting.Server.Tts;
using CallWaiting.Speech.Codecs;
using CallWaiting.Speech.Synthesis;
using CallWaiting.Speech.Text;
using Microsoft.Extensions.Logging;

namespace CallWaiting.Server.Realtime;

// The synthesizer: one TtsJob per utterance through the audio cache and shared renderings, into the session's one stream
// (re-encoded for mp3 and opus, framed for Twilio), metered per flush.
internal sealed partial class RealtimeSession
{
    private const int MaxFrameSamples = 16_384;

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
            {
                CompleteStream();
                Enqueue(new OutboundMessage(OutboundMessage.Always, ServerMessages.Final(_totalCharacters, _totalSamples * 1000 / config.SampleRate), Binary: false, Samples: 0));
            }

            _outbound.Writer.TryComplete();
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            MeterFlush();
        }
        catch (TtsRequestException) when (_shutdown.IsCancellationRequested)
        {
            // Stopping engines fail the utterance in progress; the client must hear why, not that they were busy.
            MeterFlush();
            await CloseAsync(WebSocketCloseStatus.EndpointUnavailable, ShutdownReason);
        }
        catch (TtsRequestException e) when (e.Kind is TtsErrorKind.Overloaded or TtsErrorKind.Unavailable)
        {
            MeterFlush();
            await CloseAsync(TryAgainLater, e.Kind == TtsErrorKind.Overloaded ? "All speech engines are busy; reconnect shortly." : e.Message);
        }
        catch (TtsRequestException e)
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
        var cached = false;
        var started = false;
        var frames = new List<byte[]>();
        AudioSource? source = null;
        try
        {
            // The utterance goes through the same service call as /v1/tts (cache, shared renderings): a prompt every call
            // opens with is a memory read, and calls that say it at the same moment share one synthesis. The session
            // meters per flush itself, so the source meters nothing.
            var job = _tts.CreateJob(new TtsRequest(utterance.Text, config.VoiceId, RenderedFormat(config.Format), config.Speed,
                SampleRate: config.SampleRate), _voice!, _key);
            source = await _tts.OpenAudioAsync(job, new TtsCaller(_key, Context: null, Stopwatch.GetTimestamp(), TtsMetering.None), cancel.Token);
            cached = source.Cached;
            started = true;
            if (!cached) _flushFirstAudio ??= _flushSynthesis + clock.Elapsed;
            while (await source.ReadAsync(cancel.Token) is { } piece)
                samples += Deliver(piece, utterance.Generation, samples, frames);

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
        catch (TtsRequestException e) when (e.Kind == TtsErrorKind.InvalidInput)
        {
            if (config.Mode == SessionMode.Default)
                Enqueue(new OutboundMessage(utterance.Generation, ServerMessages.Error(e.Code, e.Message), Binary: false, Samples: 0));
        }
        finally
        {
            // Leaving the rendering cancels its synthesis (and frees the worker) unless another request reads it too.
            if (source is not null) await source.DisposeAsync();
            lock (_gate) _current = null;
            cancel.Dispose();
            if (started) Account(TextLength.Of(utterance.Text), samples, cached, clock.Elapsed);
        }

        EndUtterance(utterance.Generation);
    }

    // What each utterance is rendered as: the session's own format when its bytes can be cut and joined anywhere (they
    // then come straight from the cache and shared renderings), else PCM16 for the session's encoder (wav adds a header only).
    private static AudioFormat RenderedFormat(AudioFormat format) =>
        format is AudioFormat.Pcm16 or AudioFormat.Mulaw or AudioFormat.Alaw ? format : AudioFormat.Pcm16;

    // Queues one rendered piece: Twilio frames, or binary frames of at most MaxFrameSamples, the first with the piece's
    // words (utteranceOffset: the utterance's samples queued before it, so the sender can place the words). Returns its samples.
    private int Deliver(AudioPiece piece, long generation, long utteranceOffset, List<byte[]> frames)
    {
        if (_framer is not null)
        {
            _framer.Write(piece.Audio.Span, frames);
            QueueFrames(frames, generation);
            return piece.Samples;
        }

        // Binary frames of the rendered bytes; for mp3 and opus these are PCM16 that the sender encodes as they go out,
        // continuing the session's one stream.
        var words = piece.Words.Count > 0 ? piece.Words : null;
        var bytesPerSample = RenderedFormat(_config!.Format) == AudioFormat.Pcm16 ? 2 : 1;
        var step = _encoder is null ? EncoderStep.None : EncoderStep.Encode;
        var audio = piece.Audio;
        for (var start = 0; start < audio.Length || words is not null; start += MaxFrameSamples * bytesPerSample)
        {
            var slice = audio[start..Math.Min(audio.Length, start + MaxFrameSamples * bytesPerSample)];
            Enqueue(new OutboundMessage(generation, slice.ToArray(), Binary: true, slice.Length / bytesPerSample, words, utteranceOffset + start / bytesPerSample,
                Step: step));
            words = null;
        }
        return piece.Samples;
    }

    // Default mode: no audio of a finished utterance may wait inside the encoder (mp3 and opus hold back up to a frame)
    // for text that may never come, so the sender flushes it after the utterance's last audio.
    private void EndUtterance(long generation)
    {
        if (_encoder is not null) Enqueue(new OutboundMessage(generation, [], Binary: true, Samples: 0, Step: EncoderStep.Flush));
    }

    // Default mode, after the last utterance: the stream's end (Ogg's end-of-stream page), sent even after a barge-in.
    private void CompleteStream()
    {
        if (_encoder is not null) Enqueue(new OutboundMessage(OutboundMessage.Always, [], Binary: true, Samples: 0, Step: EncoderStep.Complete));
    }

    private void QueueFrames(List<byte[]> frames, long generation)
    {
        foreach (var frame in frames) Enqueue(new OutboundMessage(generation, frame, Binary: false, TwilioMediaFramer.FrameBytes, Paced: true));
        frames.Clear();
    }

    // Adds a finished (or cleared) utterance to the flush: a cache hit or a joined rendering separately, as it cost no synthesis.
    private void Account(int characters, long samples, bool cached, TimeSpan elapsed)
    {
        _totalCharacters += characters;
        _totalSamples += samples;
        if (cached)
        {
            _flushCachedCharacters += characters;
            _flushCachedSamples += samples;
            return;
        }
        _flushCharacters += characters;
        _flushSamples += samples;
        _flushSynthesis += elapsed;
    }

    // Charges what was produced since the last flush through the same recorder as /v1/tts (synthesized and cached audio
    // as separate usage events, as /v1/tts records them); returns the flush's totals (characters, samples).
    private (long Characters, long Samples) MeterFlush()
    {
        var produced = (_flushCharacters + _flushCachedCharacters, _flushSamples + _flushCachedSamples);
        var config = _config!;
        if (_flushCharacters > 0 || _flushSamples > 0)
            _usage.Record(_key, _voice!.Slug, config.Format, (int)Math.Min(_flushCharacters, int.MaxValue), (double)_flushSamples / config.SampleRate,
                _flushSynthesis, _flushFirstAudio, cached: false);
        if (_flushCachedCharacters > 0 || _flushCachedSamples > 0)
            _usage.Record(_key, _voice!.Slug, config.Format, (int)Math.Min(_flushCachedCharacters, int.MaxValue), (double)_flushCachedSamples / config.SampleRate,
                TimeSpan.Zero, null, cached: true);

        _flushCharacters = _flushSamples = _flushCachedCharacters = _flushCachedSamples = 0;
        _flushSynthesis = TimeSpan.Zero;
        _flushFirstAudio = null;
        return produced;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "WebSocket synthesis failed for key {KeyPrefix}; closing the session")]
    private static partial void LogSynthesisFailed(ILogger logger, Exception exception, string keyPrefix);
}
