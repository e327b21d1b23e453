using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using CallWaiting.Speech.Audio;

namespace CallWaiting.Speech.Engines.Flite;

/// <summary>
/// One flite synthesis in progress: receives the waveform blocks flite streams out, applies volume, attaches word
/// boundaries and forwards them to the caller's sink.
/// </summary>
internal sealed unsafe class FliteSynthesisCall
{
    /// <summary>The call flite is running now; only touched under <see cref="FliteRuntime.Gate"/>.</summary>
    private static FliteSynthesisCall? s_active;

    private readonly NativeAudioSink _sink;
    private readonly CancellationToken _cancellationToken;
    private readonly float _volume;
    private FliteWordTimes.WordSpan[]? _words;
    private int _nextWord;
    private short[]? _scratch;
    private ExceptionDispatchInfo? _failure;

    private FliteSynthesisCall(NativeAudioSink sink, float volume, CancellationToken cancellationToken)
    {
        _sink = sink;
        _volume = volume;
        _cancellationToken = cancellationToken;
    }

    /// <summary>Synthesizes <paramref name="text"/> with <paramref name="voice"/>, streaming blocks to <paramref name="sink"/>.</summary>
    /// <remarks>
    /// Every prosody feature is written on every call because they persist on the (process-global) voice, and libc's
    /// random generator is reseeded so the vocoder's noise, hence the audio, depends only on the request.
    /// Returns normally when the sink asked to stop; throws <see cref="OperationCanceledException"/> when cancelled.
    /// </remarks>
    public static void Run(FliteLoadedVoice voice, string text, double durationStretch, double f0Shift, float volume,
        uint seed, NativeAudioSink sink, CancellationToken cancellationToken)
    {
        var call = new FliteSynthesisCall(sink, volume, cancellationToken);
        lock (FliteRuntime.Gate)
        {
            if (s_active is not null)
                throw new InvalidOperationException("flite is not re-entrant: a sink must not start another synthesis.");
            var features = voice.Native->Features;
            FliteNative.FeatSetFloat(features, FliteNames.DurationStretch, (float)durationStretch);
            FliteNative.FeatSetFloat(features, FliteNames.F0Shift, (float)f0Shift);
            FliteNative.SeedRandom(seed);
            s_active = call;
            try
            {
                using var utterance = FliteNative.SynthText(text, voice.Native);
            }
            finally
            {
                s_active = null;
                if (call._scratch is not null) ArrayPool<short>.Shared.Return(call._scratch);
            }
        }
        call._failure?.Throw();
        cancellationToken.ThrowIfCancellationRequested();
    }

    /// <summary>flite's streaming callback (cst_audio_stream_callback): never lets a managed exception unwind into C.</summary>
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    public static int OnAudio(FliteNativeWave* wave, int start, int size, int last, FliteNativeStreamingInfo* info)
    {
        var call = s_active;
        if (call is null) return FliteNative.StreamStop;
        try
        {
            return call.Deliver(wave, start, size, last != 0, info) ? FliteNative.StreamContinue : FliteNative.StreamStop;
        }
        catch (Exception e)
        {
            call._failure = ExceptionDispatchInfo.Capture(e);
            return FliteNative.StreamStop;
        }
    }

    private bool Deliver(FliteNativeWave* wave, int start, int size, bool last, FliteNativeStreamingInfo* info)
    {
        if (_cancellationToken.IsCancellationRequested) return false;
        if (wave is null || wave->NumChannels != 1 || start < 0 || size < 0 || (long)start + size > wave->NumSamples)
            throw new EngineException(EngineErrorKind.EngineFailure, "flite streamed an inconsistent waveform block.");

        var sampleRate = wave->SampleRate;
        _words ??= FliteWordTimes.Read(info is null ? 0 : info->Utterance, sampleRate);
        var words = TakeWords(start, size, last);
        if (size == 0 && words.Count == 0) return true;

        ReadOnlySpan<short> samples = new(wave->Samples + start, size);
        if (_volume != 1f) samples = Scale(samples);
        return _sink(samples, sampleRate, words) && !_cancellationToken.IsCancellationRequested;
    }

    /// <summary>The words starting inside this block (on the last block, every word left) with block-relative offsets.</summary>
    private IReadOnlyList<WordBoundary> TakeWords(int blockStart, int size, bool last)
    {
        var all = _words!;
        var first = _nextWord;
        while (_nextWord < all.Length && (last || all[_nextWord].Start < blockStart + size)) _nextWord++;
        if (_nextWord == first) return AudioChunk.NoWords;

        var result = new WordBoundary[_nextWord - first];
        for (var i = 0; i < result.Length; i++)
        {
            var word = all[first + i];
            var offset = Math.Clamp(word.Start - blockStart, 0, size);
            result[i] = new WordBoundary(word.Word, offset, word.End - word.Start);
        }
        return result;
    }

    private ReadOnlySpan<short> Scale(ReadOnlySpan<short> samples)
    {
        if (_scratch is null || _scratch.Length < samples.Length)
        {
            if (_scratch is not null) ArrayPool<short>.Shared.Return(_scratch);
            _scratch = ArrayPool<short>.Shared.Rent(samples.Length);
        }
        var output = _scratch.AsSpan(0, samples.Length);
        for (var i = 0; i < samples.Length; i++)
            output[i] = (short)Math.Clamp(MathF.Round(samples[i] * _volume), short.MinValue, short.MaxValue);
        return output;
    }
}
