using System.Runtime.CompilerServices;
using CallWaiting.Speech.Audio;

namespace CallWaiting.Speech.Engines.Kokoro;

/// <summary>
/// Kokoro voices in the API process through ONNX Runtime: phonemes from espeak-ng in the worker pool, tokens through
/// the folder's vocabulary, one graph call per chunk (<see cref="KokoroTokens"/>) with the style row for its length,
/// each chunk yielded as soon as it is done, at 24 kHz.
/// </summary>
/// <remarks>
/// The speed goes into the graph. hexgrad's export takes it as int32, so there a fractional speed is refused with
/// <see cref="EngineErrorKind.InvalidRequest"/> (400) rather than silently rounded. Word timings come from the graph's
/// per-token durations when it gives them, and are otherwise estimated from each word's first token's share of its
/// chunk (<see cref="KokoroWordTimings"/>); the API has no field to say which, so docs/ARCHITECTURE.md does.
/// </remarks>
public sealed class KokoroEngine : ISpeechEngine
{
    /// <summary>The engine name used in voice entries and requests.</summary>
    public const string EngineName = "kokoro";

    private readonly Dictionary<string, KokoroVoice> _voices;
    private readonly IReadOnlyList<KokoroModel> _models;
    private readonly IPhonemizer _phonemizer;
    private readonly int _firstSentenceCut;
    private long _unknownPhonemes;

    /// <summary>An engine over loaded voices, each keyed by its <see cref="EngineVoice.NativeName"/>.</summary>
    /// <param name="voices">The loaded voices.</param>
    /// <param name="phonemizer">Where espeak-ng runs.</param>
    /// <param name="firstSentenceCut">A stream's first sentence longer than this many tokens is cut after its first clause; 0 never cuts.</param>
    public KokoroEngine(IReadOnlyList<(EngineVoice Voice, KokoroVoice Kokoro)> voices, IPhonemizer phonemizer, int firstSentenceCut = 0)
    {
        ArgumentNullException.ThrowIfNull(voices);
        ArgumentNullException.ThrowIfNull(phonemizer);
        ArgumentOutOfRangeException.ThrowIfNegative(firstSentenceCut);
        _phonemizer = phonemizer;
        _firstSentenceCut = firstSentenceCut;
        _voices = voices.ToDictionary(v => v.Voice.NativeName, v => v.Kokoro, StringComparer.Ordinal);
        _models = [.. voices.Select(v => v.Kokoro.Model).Distinct()];
        Voices = [.. voices.Select(v => v.Voice)];
    }

    /// <inheritdoc />
    public string Name => EngineName;

    /// <inheritdoc />
    public EngineCapabilities Capabilities { get; } = new(NativeRate: true, NativePitch: false, WordEvents: true, Phonemes: false,
        Cloning: false, Deterministic: false, MaxChunkChars: 400);

    /// <inheritdoc />
    public IReadOnlyList<EngineVoice> Voices { get; }

    /// <summary>Phoneme symbols skipped since start because a model's vocabulary lacks them.</summary>
    public long UnknownPhonemes => Interlocked.Read(ref _unknownPhonemes);

    /// <inheritdoc />
    public async IAsyncEnumerable<AudioChunk> SynthesizeAsync(EngineRequest request,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!_voices.TryGetValue(request.Voice, out var voice))
            throw new EngineException(EngineErrorKind.InvalidRequest, $"Unknown Kokoro voice '{request.Voice}'.");
        var speed = Speed(voice.Model, request);
        if (string.IsNullOrWhiteSpace(request.Text)) yield break;

        var clauses = await _phonemizer.PhonemizeAsync(voice.EspeakVoice, request.Text, request.Continuation, cancellationToken).ConfigureAwait(false);
        // Only a stream's first sentence is cut: later ones are synthesized while earlier audio plays.
        var chunks = KokoroTokens.Chunks(clauses, voice.Config.Vocab, out var unknown, firstSentenceCut: request.Continuation ? 0 : _firstSentenceCut);
        if (unknown > 0) Interlocked.Add(ref _unknownPhonemes, unknown);
        if (chunks.Count == 0 && unknown > 0)
            throw new EngineException(EngineErrorKind.InvalidRequest,
                $"None of the text's {unknown} phonemes is in the model's vocabulary; it cannot be spoken with '{request.Voice}'.");
        var words = KokoroWordTimings.For(request.Text, chunks, voice.Config.Vocab);
        var continuation = request.Continuation;
        for (var c = 0; c < chunks.Count; c++)
        {
            var chunk = chunks[c];
            if (!File.Exists(voice.Model.Path))
                throw new EngineException(EngineErrorKind.Unavailable, $"The Kokoro model {Path.GetFileName(voice.Model.Path)} was removed; its voices are unavailable.");
            cancellationToken.ThrowIfCancellationRequested();
            var padded = KokoroTokens.Padded(chunk);
            var (samples, durations) = await voice.Model.RunAsync(padded, voice.Pack.Row(chunk.Length), speed, continuation, cancellationToken)
                .ConfigureAwait(false);
            // Later chunks belong to a stream that has started: they wait for a turn rather than fail it.
            continuation = true;
            Pcm.Scale(samples, request.Prosody.Volume);
            var boundaries = words is null ? AudioChunk.NoWords : KokoroWordTimings.Boundaries(words[c], durations, padded.Length, samples.Length);
            yield return new AudioChunk(samples, KokoroModel.SampleRate, boundaries);
        }
    }

    /// <summary>Releases every model's session.</summary>
    public ValueTask DisposeAsync()
    {
        foreach (var model in _models) model.Dispose();
        return ValueTask.CompletedTask;
    }

    private static float Speed(KokoroModel model, EngineRequest request)
    {
        var rate = request.Prosody.Rate is > 0 and var r && double.IsFinite(r) ? r : 1.0;
        if (model.Export == KokoroExport.Hexgrad && rate != Math.Round(rate))
            throw new EngineException(EngineErrorKind.InvalidRequest,
                $"The voice '{request.Voice}' is a Kokoro export that takes whole-number speeds only (1 or 2), not {rate:0.###}.");
        return (float)rate;
    }
}
