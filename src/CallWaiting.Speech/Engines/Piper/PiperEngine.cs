using System.Runtime.CompilerServices;
using CallWaiting.Speech.Audio;

namespace CallWaiting.Speech.Engines.Piper;

/// <summary>
/// Piper (VITS) voices in the API process through ONNX Runtime: phonemes from espeak-ng in the worker pool, one
/// graph call per sentence, each sentence yielded as soon as it is done; a long first sentence is cut after its first
/// clause mark, so its first part's audio comes sooner.
/// </summary>
/// <remarks>
/// The speed goes into the graph (length_scale = the config's ÷ <see cref="Prosody.Rate"/>). Noise is part of the
/// graph and not seeded, so the engine is not declared deterministic. Word timings come from the graph's optional
/// <c>w_ceil</c> output; graphs without it (Piper's standard export) give none. A model whose file is gone answers
/// <see cref="EngineErrorKind.Unavailable"/>: an operator removed it, and a restart would no longer list it.
/// </remarks>
public sealed class PiperEngine : ISpeechEngine
{
    /// <summary>The engine name used in voice entries and requests.</summary>
    public const string EngineName = "piper";

    private readonly Dictionary<string, (PiperModel Model, long Speaker)> _voices = new(StringComparer.Ordinal);
    private readonly IReadOnlyList<PiperModel> _models;
    private readonly IPhonemizer _phonemizer;
    private readonly int _firstSentenceCut;
    private long _unknownPhonemes;

    /// <summary>An engine over loaded models, each voice's <see cref="EngineVoice.NativeName"/> mapping to its model and speaker.</summary>
    /// <param name="models">The loaded models and their voices.</param>
    /// <param name="phonemizer">Where espeak-ng runs.</param>
    /// <param name="firstSentenceCut">A stream's first sentence longer than this many phoneme symbols is cut after its first clause mark; 0 never cuts.</param>
    public PiperEngine(IReadOnlyList<(PiperModel Model, IReadOnlyList<(EngineVoice Voice, long Speaker)> Voices)> models, IPhonemizer phonemizer,
        int firstSentenceCut = 0)
    {
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(phonemizer);
        ArgumentOutOfRangeException.ThrowIfNegative(firstSentenceCut);
        _phonemizer = phonemizer;
        _firstSentenceCut = firstSentenceCut;
        _models = [.. models.Select(m => m.Model)];
        foreach (var (model, voices) in models)
            foreach (var (voice, speaker) in voices) _voices.Add(voice.NativeName, (model, speaker));
        Voices = [.. models.SelectMany(m => m.Voices).Select(v => v.Voice)];
        Capabilities = new EngineCapabilities(NativeRate: true, NativePitch: false, WordEvents: _models.Any(m => m.HasDurations),
            Phonemes: false, Cloning: false, Deterministic: false, MaxChunkChars: 400);
    }

    /// <inheritdoc />
    public string Name => EngineName;

    /// <inheritdoc />
    /// <remarks>Word events only when a model's graph gives <c>w_ceil</c>.</remarks>
    public EngineCapabilities Capabilities { get; }

    /// <inheritdoc />
    public IReadOnlyList<EngineVoice> Voices { get; }

    /// <summary>Phonemes skipped since start because a voice's phoneme_id_map lacks them.</summary>
    public long UnknownPhonemes => Interlocked.Read(ref _unknownPhonemes);

    /// <inheritdoc />
    public async IAsyncEnumerable<AudioChunk> SynthesizeAsync(EngineRequest request,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!_voices.TryGetValue(request.Voice, out var target))
            throw new EngineException(EngineErrorKind.InvalidRequest, $"Unknown Piper voice '{request.Voice}'.");
        var (model, speaker) = target;
        if (string.IsNullOrWhiteSpace(request.Text)) yield break;
        var rate = request.Prosody.Rate is > 0 and var r && double.IsFinite(r) ? r : 1.0;
        var lengthScale = (float)(model.Config.LengthScale / rate);

        var sentences = await SentencesAsync(model, request, cancellationToken).ConfigureAwait(false);
        // Only a stream's first sentence: later ones are synthesized while earlier audio plays.
        if (!request.Continuation && _firstSentenceCut > 0 && sentences.Count > 0 && sentences[0].Count > _firstSentenceCut
            && PiperPhonemes.CutAtFirstClause(sentences[0]) is { } cut)
        {
            sentences = [cut.Head, cut.Tail, .. sentences.Skip(1)];
        }
        var words = model.HasDurations ? WordTimings.For(request.Text, sentences, model.Config.PhonemeIdMap) : null;
        var continuation = request.Continuation;
        var spoke = false;
        var unknownTotal = 0;
        for (var s = 0; s < sentences.Count; s++)
        {
            var sentence = sentences[s];
            var ids = PiperPhonemes.ToIds(sentence, model.Config.PhonemeIdMap, out var unknown);
            unknownTotal += unknown;
            if (unknown > 0) Interlocked.Add(ref _unknownPhonemes, unknown);
            if (unknown == sentence.Count) continue; // nothing of this sentence can be spoken
            EnsurePresent(model);
            cancellationToken.ThrowIfCancellationRequested();
            var (samples, durations) = await model.RunAsync(ids, lengthScale, speaker, continuation, cancellationToken).ConfigureAwait(false);
            // Later sentences belong to a stream that has started: they wait for a turn rather than fail it.
            continuation = true;
            spoke = true;
            Pcm.Scale(samples, request.Prosody.Volume);
            var boundaries = words is null || durations is null ? AudioChunk.NoWords : WordTimings.Boundaries(words[s], durations, samples.Length);
            yield return new AudioChunk(samples, model.Config.SampleRate, boundaries);
        }
        if (!spoke && unknownTotal > 0)
            throw new EngineException(EngineErrorKind.InvalidRequest,
                $"None of the text's {unknownTotal} phonemes is in the voice's phoneme map; it cannot be spoken with '{request.Voice}'.");
    }

    /// <summary>Releases every model's session.</summary>
    public ValueTask DisposeAsync()
    {
        foreach (var model in _models) model.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task<IReadOnlyList<IReadOnlyList<string>>> SentencesAsync(PiperModel model, EngineRequest request, CancellationToken cancellationToken)
    {
        if (model.Config.PhonemeType == "text") return [PiperPhonemes.FromText(request.Text)];
        var clauses = await _phonemizer.PhonemizeAsync(model.Config.EspeakVoice, request.Text, request.Continuation, cancellationToken)
            .ConfigureAwait(false);
        return PiperPhonemes.Sentences(clauses);
    }

    private static void EnsurePresent(PiperModel model)
    {
        if (!File.Exists(model.Path))
            throw new EngineException(EngineErrorKind.Unavailable, $"The Piper model {Path.GetFileName(model.Path)} was removed; its voices are unavailable.");
    }
}
