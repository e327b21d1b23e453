using System.Buffers;
using System.Diagnostics;
using System.Net.WebSockets;
using CallWaiting.Server.Tts;
using CallWaiting.Server.Twilio;
using CallWaiting.Speech.Codecs;
using CallWaiting.Speech.Engines;
using CallWaiting.Speech.Synthesis;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CallWaiting.Server.Realtime;

// The synthesizer: one TtsJob per utterance, encoded into the session's one stream (framed for Twilio), metered per flush.
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
        catch (TtsRequestException e) when (e.Status == StatusCodes.Status503ServiceUnavailable)
        {
            MeterFlush();
            await CloseAsync(WebSocketCloseStatus.EndpointUnavailable, "All speech engines are busy; reconnect shortly.");
        }
        catch (Exception e) when (e is TtsRequestException or EngineException or AudioEncoderException)
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
            var job = _tts.CreateJob(
                new TtsRequest(utterance.Text, config.VoiceId, AudioFormats.Name(config.Format), config.Speed, SampleRate: config.SampleRate), _voice!, _key);
            var plan = job.Prepare();
            _encoder ??= CreateEncoder(job, plan);
            var chunks = await job.StartAsync(plan, cancel.Token);
            await using (chunks)
            {
                _flushCharacters += utterance.Text.Length;
                _totalCharacters += utterance.Text.Length;
                _flushFirstAudio ??= _flushSynthesis + clock.Elapsed;
                try
                {
                    do
                    {
                        var chunk = chunks.Current;
                        samples += chunk.Samples.Length;
                        if (_framer is not null) QueueTwilio(chunk.Samples, utterance.Generation, encoded, frames);
                        else QueueAudio(chunk, utterance.Generation, encoded);
                    }
                    while (await chunks.MoveNextAsync());
                }
                catch (EngineException e) when (e.Kind is EngineErrorKind.InvalidRequest or EngineErrorKind.Overloaded)
                {
                    throw TtsJob.EngineFailure(e); // as before the first chunk: 400 skips the utterance, 503 closes with 1013
                }
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
        catch (TtsRequestException e) when (e.Status == StatusCodes.Status400BadRequest)
        {
            if (config.Mode == SessionMode.Default)
                Enqueue(new OutboundMessage(utterance.Generation, ServerMessages.Error(e.Code, e.Message), Binary: false, Samples: 0));
        }
        finally
        {
            lock (_gate) _current = null;
            cancel.Dispose();
            _flushSamples += samples;
            _totalSamples += samples;
            _flushSynthesis += clock.Elapsed;
        }

        EndUtterance(utterance.Generation, encoded);
    }

    // The session's one encoder, made with the first job's settings; stream headers (Ogg Opus) go out at once and survive
    // a barge-in, since all later audio depends on them.
    private AudioEncoder CreateEncoder(TtsJob job, SynthesisPlan plan)
    {
        var encoder = job.CreateEncoder(plan);
        if (_framer is null)
        {
            var headers = new ArrayBufferWriter<byte>();
            encoder.Flush(headers);
            if (headers.WrittenCount > 0) Enqueue(new OutboundMessage(OutboundMessage.Always, headers.WrittenSpan.ToArray(), Binary: true, Samples: 0));
        }

        return encoder;
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

    // Default mode: no audio of a finished utterance may wait inside the encoder (mp3 and opus hold back up to a frame)
    // for text that may never come. The silence the flush adds counts as sent samples, so later alignment stays true.
    private void EndUtterance(long generation, ArrayBufferWriter<byte> encoded)
    {
        if (_encoder is null || _framer is not null) return;
        encoded.ResetWrittenCount();
        var padding = _encoder.PaddingSamples;
        _encoder.Flush(encoded);
        if (encoded.WrittenCount > 0)
            Enqueue(new OutboundMessage(generation, encoded.WrittenSpan.ToArray(), Binary: true, (int)(_encoder.PaddingSamples - padding)));
    }

    // Default mode, after the last utterance: the stream's end (Ogg's end-of-stream page), sent even after a barge-in.
    private void CompleteStream()
    {
        if (_encoder is null) return;
        var tail = new ArrayBufferWriter<byte>();
        _encoder.Complete(tail);
        if (tail.WrittenCount > 0) Enqueue(new OutboundMessage(OutboundMessage.Always, tail.WrittenSpan.ToArray(), Binary: true, Samples: 0));
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

    // Charges what was produced since the last flush through the same recorder as /v1/tts; returns it (characters, samples).
    private (long Characters, long Samples) MeterFlush()
    {
        var produced = (_flushCharacters, _flushSamples);
        if (_flushCharacters > 0 || _flushSamples > 0)
        {
            var config = _config!;
            _usage.Record(_key, _voice!.Slug, config.Format, (int)Math.Min(_flushCharacters, int.MaxValue), (double)_flushSamples / config.SampleRate,
                _flushSynthesis, _flushFirstAudio, cached: false);
        }

        _flushCharacters = _flushSamples = 0;
        _flushSynthesis = TimeSpan.Zero;
        _flushFirstAudio = null;
        return produced;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "WebSocket synthesis failed for key {KeyPrefix}; closing the session")]
    private static partial void LogSynthesisFailed(ILogger logger, Exception exception, string keyPrefix);
}
