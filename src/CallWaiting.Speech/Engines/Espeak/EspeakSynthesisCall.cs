using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using System.Text;
using CallWaiting.Speech.Audio;

namespace CallWaiting.Speech.Engines.Espeak;

/// <summary>
/// One espeak-ng synthesis in progress: forwards the blocks espeak produces to the caller's sink, turning espeak's
/// word events into block-relative <see cref="WordBoundary"/> values.
/// </summary>
internal sealed unsafe class EspeakSynthesisCall
{
    /// <summary>The call espeak is running now; only touched under <see cref="EspeakRuntime.Gate"/>.</summary>
    private static EspeakSynthesisCall? s_active;

    // The voice espeak has loaded (process-global, like the rest of its state); null when unknown.
    private static string? s_loadedVoice;

    private readonly string _text;
    private readonly bool _wordEvents;
    private readonly int _sampleRate;
    private readonly NativeAudioSink _sink;
    private readonly CancellationToken _cancellationToken;
    /// <summary>UTF-16 index of each code point, for text outside the BMP; null when the two coincide.</summary>
    private readonly int[]? _utf16Index;
    private long _delivered;
    private List<WordBoundary>? _pending;
    private bool _stopped;
    private ExceptionDispatchInfo? _failure;

    private EspeakSynthesisCall(string text, bool wordEvents, int sampleRate, NativeAudioSink sink, CancellationToken cancellationToken)
    {
        _text = text;
        _wordEvents = wordEvents;
        _sampleRate = sampleRate;
        _sink = sink;
        _cancellationToken = cancellationToken;
        _utf16Index = text.AsSpan().IndexOfAnyInRange('\uD800', '\uDFFF') < 0 ? null : CodePointIndex(text);
    }

    /// <summary>Speaks <paramref name="text"/> (UTF-8, with <paramref name="flags"/> added) with <paramref name="voiceName"/>.</summary>
    /// <remarks>
    /// The voice and every parameter are set on every call because espeak keeps them between calls.
    /// Returns normally when the sink asked to stop; throws <see cref="OperationCanceledException"/> when cancelled.
    /// </remarks>
    public static void Run(string voiceName, string text, uint flags, bool wordEvents, EspeakSettings settings, int sampleRate,
        NativeAudioSink sink, CancellationToken cancellationToken)
    {
        var call = new EspeakSynthesisCall(text, wordEvents, sampleRate, sink, cancellationToken);
        var length = Encoding.UTF8.GetByteCount(text);
        var buffer = ArrayPool<byte>.Shared.Rent(length + 1);
        try
        {
            Encoding.UTF8.GetBytes(text, buffer);
            buffer[length] = 0;
            lock (EspeakRuntime.Gate)
            {
                ThrowIfBusy();
                Apply(voiceName, settings);
                s_active = call;
                int result;
                try
                {
                    fixed (byte* utf8 = buffer)
                        result = EspeakNative.Synth(utf8, (nuint)(length + 1), 0, EspeakNative.PositionCharacter, 0,
                            EspeakNative.CharsUtf8 | flags, null, null);
                }
                finally
                {
                    s_active = null;
                }
                if (result != EspeakNative.ErrorOk && call._failure is null && !call._stopped)
                    throw new EngineException(EngineErrorKind.EngineFailure, $"espeak_Synth failed with error {result}.");
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        call._failure?.Throw();
        cancellationToken.ThrowIfCancellationRequested();
    }

    /// <summary>Refuses espeak calls made from inside a sink, which would change espeak's state mid-synthesis; call under the gate.</summary>
    /// <exception cref="InvalidOperationException">A synthesis is running on this thread.</exception>
    public static void ThrowIfBusy()
    {
        if (s_active is not null)
            throw new InvalidOperationException("espeak-ng is not re-entrant: a sink must not call back into the engine.");
    }

    /// <summary>
    /// Selects the voice and sets every parameter; call under the gate. Loading a voice re-reads its files (about half a
    /// millisecond, as much as synthesizing a short sentence), so an unchanged voice is kept; every parameter is still set.
    /// </summary>
    public static void Apply(string voiceName, EspeakSettings settings)
    {
        if (voiceName != s_loadedVoice)
        {
            s_loadedVoice = null;
            if (EspeakNative.SetVoiceByName(voiceName) != EspeakNative.ErrorOk)
                throw new EngineException(EngineErrorKind.EngineFailure, $"espeak-ng could not load voice '{voiceName}'.");
            s_loadedVoice = voiceName;
        }
        Set(EspeakNative.ParameterRate, settings.WordsPerMinute);
        Set(EspeakNative.ParameterPitch, settings.Pitch);
        Set(EspeakNative.ParameterRange, 50);
        Set(EspeakNative.ParameterVolume, settings.Volume);
        Set(EspeakNative.ParameterWordGap, 0);
        // espeak 1.51 stores these two on its parameter stack and then reports EINVAL anyway, so the result means nothing.
        EspeakNative.SetParameter(EspeakNative.ParameterPunctuation, 0, 0);
        EspeakNative.SetParameter(EspeakNative.ParameterCapitals, 0, 0);

        static void Set(int parameter, int value)
        {
            if (EspeakNative.SetParameter(parameter, value, 0) != EspeakNative.ErrorOk)
                throw new EngineException(EngineErrorKind.EngineFailure, $"espeak-ng rejected parameter {parameter} = {value}.");
        }
    }

    /// <summary>espeak's synth callback (t_espeak_callback): never lets a managed exception unwind into C.</summary>
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    public static int OnAudio(short* samples, int count, EspeakNativeEvent* events)
    {
        var call = s_active;
        if (call is null) return EspeakNative.CallbackAbort;
        try
        {
            if (call.Deliver(samples, count, events)) return EspeakNative.CallbackContinue;
            call._stopped = true;
            return EspeakNative.CallbackAbort;
        }
        catch (Exception e)
        {
            call._failure = ExceptionDispatchInfo.Capture(e);
            return EspeakNative.CallbackAbort;
        }
    }

    private bool Deliver(short* samples, int count, EspeakNativeEvent* events)
    {
        // A null buffer marks the end of the synthesis; words espeak reported in empty blocks still go out.
        var finished = samples is null;
        if (finished) count = 0;
        else if (_cancellationToken.IsCancellationRequested) return false;
        if (count < 0) throw new EngineException(EngineErrorKind.EngineFailure, "espeak-ng produced a negative block length.");

        var words = _pending;
        _pending = null;
        for (var e = events; _wordEvents && e is not null && e->Type != 0; e++)
        {
            if (e->Type == EspeakNative.EventWord && Word(e, count) is { } word) (words ??= []).Add(word);
        }
        _delivered += count;
        if (count == 0 && !finished)
        {
            _pending = words;
            return true;
        }
        if (count == 0 && words is null) return true;
        var keepGoing = _sink(new ReadOnlySpan<short>(samples, count), _sampleRate, (IReadOnlyList<WordBoundary>?)words ?? AudioChunk.NoWords);
        return keepGoing && !_cancellationToken.IsCancellationRequested;
    }

    /// <summary>The word an event names (its slice of the input) and its offset in the current block.</summary>
    private WordBoundary? Word(EspeakNativeEvent* e, int count)
    {
        var first = Utf16(e->TextPosition - 1);
        var end = Utf16(e->TextPosition - 1 + Math.Max(e->Length, 0));
        if (end <= first) return null;
        var word = _text.AsSpan(first, end - first).Trim();
        if (word.IsEmpty) return null;
        var offset = Math.Clamp(e->Sample - _delivered, 0, count);
        return new WordBoundary(word.ToString(), offset, 0);
    }

    private int Utf16(int codePoint) => _utf16Index is null
        ? Math.Clamp(codePoint, 0, _text.Length)
        : _utf16Index[Math.Clamp(codePoint, 0, _utf16Index.Length - 1)];

    /// <summary>Maps each code point (and the end) to its UTF-16 index.</summary>
    private static int[] CodePointIndex(string text)
    {
        var index = new List<int>(text.Length + 1);
        var position = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            index.Add(position);
            position += rune.Utf16SequenceLength;
        }
        index.Add(position);
        return [.. index];
    }
}
