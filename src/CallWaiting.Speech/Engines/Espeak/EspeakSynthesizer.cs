using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;

namespace CallWaiting.Speech.Engines.Espeak;

/// <summary>The espeak-ng engine (libespeak-ng1): over a hundred languages, hosted inside an engine worker process.</summary>
/// <remarks>
/// espeak-ng is process-global and not thread-safe: it is initialized once per process and every call, from any
/// instance, is serialized on one lock; the synthesizer is meant to be driven by one thread. Disposing retires this
/// instance only. Its output is not bit-for-bit repeatable within a process (wavegen's pitch flutter phase and its
/// rand() noise carry over between calls), so <see cref="EngineCapabilities.Deterministic"/> is false; durations
/// repeat to within a few samples.
/// </remarks>
public sealed class EspeakSynthesizer : INativeSynthesizer, INativePhonemizer
{
    /// <summary>The engine name used in voice entries and requests.</summary>
    public const string EngineName = "espeak";

    private readonly EspeakRuntime.Loaded _runtime;
    private readonly Dictionary<string, EngineVoice> _byName = new(StringComparer.OrdinalIgnoreCase);
    private bool _disposed;

    /// <summary>Initializes espeak-ng (once per process) and reads its voices.</summary>
    /// <exception cref="EngineException">libespeak-ng or its data is missing.</exception>
    public EspeakSynthesizer()
    {
        _runtime = EspeakRuntime.Instance;
        foreach (var voice in _runtime.Voices)
        {
            _byName.TryAdd(voice.NativeName, voice);
            _byName.TryAdd(voice.Id, voice);
        }
    }

    /// <inheritdoc />
    public string Engine => EngineName;

    /// <inheritdoc />
    public EngineCapabilities Capabilities { get; } = new(
        NativeRate: true, NativePitch: true, WordEvents: true, Phonemes: true, Cloning: false, Deterministic: false,
        MaxChunkChars: 600);

    /// <summary>Output sample rate of every espeak voice.</summary>
    public int SampleRate => _runtime.SampleRate;

    /// <inheritdoc />
    public IReadOnlyList<EngineVoice> ListVoices()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _runtime.Voices;
    }

    /// <inheritdoc />
    /// <remarks>
    /// <see cref="EngineRequest.Voice"/> is the native name ("gmw/en-US", "gmw/en+f3") or the catalog id
    /// ("espeak-en-us"). <see cref="EngineRequest.Phonemes"/>, when set, is spoken instead of the text: espeak's own
    /// phoneme mnemonics, wrapped in [[ ]] unless already wrapped; such calls report no word boundaries. No pause is
    /// added after the last word (espeakENDPAUSE is off): pauses between chunks belong to the pipeline. Whitespace-only
    /// text yields no audio. Throws <see cref="OperationCanceledException"/> when <paramref name="cancellationToken"/>
    /// stops the synthesis.
    /// </remarks>
    public void Synthesize(EngineRequest request, NativeAudioSink sink, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        NativeRequestGuard.Validate(request, sink, Capabilities);
        var voice = Resolve(request.Voice);
        cancellationToken.ThrowIfCancellationRequested();

        var phonemes = request.Phonemes;
        var text = phonemes is null ? request.Text : Wrap(phonemes);
        if (string.IsNullOrWhiteSpace(phonemes ?? request.Text)) return;
        var flags = phonemes is null ? 0u : EspeakNative.PhonemeInput;
        EspeakSynthesisCall.Run(voice.NativeName, text, flags, wordEvents: phonemes is null, EspeakSettings.From(request.Prosody),
            _runtime.SampleRate, sink, cancellationToken);
    }

    /// <summary>Translates text to IPA with a voice's pronunciation rules (for engines that take phonemes).</summary>
    /// <param name="text">Text to translate.</param>
    /// <param name="voice">Native name or catalog id of the voice whose language rules apply.</param>
    /// <returns>IPA, clauses separated by a space; empty for blank text.</returns>
    /// <exception cref="EngineException">Unknown voice or text with a NUL character.</exception>
    public string TextToPhonemes(string text, string voice) =>
        string.Join(' ', Phonemize(voice, text).Select(c => c.Phonemes.Trim()).Where(p => p.Length > 0));

    /// <inheritdoc />
    /// <remarks>
    /// <paramref name="voice"/> is a native name ("gmw/en-US"), a catalog id ("espeak-en-us") or, as Piper's configs
    /// name them, a language ("en-us"). espeak translates one clause per call and advances the text pointer (null at
    /// the end); each clause's mark is recovered from the text the call consumed (<see cref="EspeakClauseTerminator"/>).
    /// </remarks>
    public IReadOnlyList<PhonemeClause> Phonemize(string voice, string text)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(voice);
        var entry = Resolve(_byName.ContainsKey(voice) ? voice : "espeak-" + voice);
        if (text.Contains('\0')) throw new EngineException(EngineErrorKind.InvalidRequest, "Text contains a NUL character.");
        if (string.IsNullOrWhiteSpace(text)) return [];

        var length = Encoding.UTF8.GetByteCount(text);
        var buffer = ArrayPool<byte>.Shared.Rent(length + 1);
        try
        {
            Encoding.UTF8.GetBytes(text, buffer);
            buffer[length] = 0;
            var clauses = new List<PhonemeClause>();
            lock (EspeakRuntime.Gate)
            {
                EspeakSynthesisCall.ThrowIfBusy();
                EspeakSynthesisCall.Apply(entry.NativeName, EspeakSettings.From(Prosody.Default));
                unsafe
                {
                    fixed (byte* start = buffer)
                    {
                        var position = start;
                        while (position is not null && position < start + length)
                        {
                            var before = position;
                            var phonemes = Marshal.PtrToStringUTF8((nint)EspeakNative.TextToPhonemes(
                                &position, (int)EspeakNative.CharsUtf8, EspeakNative.PhonemesIpa)) ?? "";
                            var atEnd = position is null || position >= start + length;
                            var consumed = Encoding.UTF8.GetString(before, (int)((atEnd ? start + length : position) - before));
                            clauses.Add(new PhonemeClause(phonemes, EspeakClauseTerminator.Find(consumed, atEnd)));
                            if (position == before) break; // no progress: stop rather than spin
                        }
                    }
                }
            }
            return clauses;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _disposed = true;

    private EngineVoice Resolve(string voice) => _byName.TryGetValue(voice, out var entry)
        ? entry
        : throw new EngineException(EngineErrorKind.InvalidRequest, $"Unknown espeak voice '{voice}'.");

    private static string Wrap(string phonemes)
    {
        var trimmed = phonemes.Trim();
        return trimmed.StartsWith("[[", StringComparison.Ordinal) && trimmed.EndsWith("]]", StringComparison.Ordinal)
            ? trimmed
            : "[[" + trimmed + "]]";
    }
}
