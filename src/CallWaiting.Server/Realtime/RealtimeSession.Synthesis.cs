using System.Buffers;
using System.Diagnostics;
using System.Net.WebSockets;
using CallWaiting.Server.Twilio;
using CallWaiting.Speech.Codecs;
using CallWaiting.Speech.Engines;
using CallWaiting.Speech.Synthesis;
using CallWaiting.Speech.Text;
using Microsoft.Extensions.Logging;

namespace CallWaiting.Server.Realtime;

// The synthesizer: streams one utterance at a time, encodes it (framing it for Twilio) and meters usage per flush.
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

    [LoggerMessage(Level = LogLevel.Error, Message = "WebSocket synthesis failed for key {KeyPrefix}; closing the session")]
    private static partial void LogSynthesisFailed(ILogger logger, Exception exception, string keyPrefix);
}
