namespace CallWaiting.Speech.Engines.Flite;

/// <summary>The flite engine (libflite1's compiled-in US English voices), hosted inside an engine worker process.</summary>
/// <remarks>
/// One synthesis runs at a time in the whole process (flite's voices are process-global); calls from several threads
/// are serialized, but the synthesizer is meant to be driven by one thread. flite can <c>exit()</c> the process on
/// internal errors, which is why it only runs in workers. Voices stay registered for the life of the process, so
/// disposing only retires this instance.
/// </remarks>
public sealed class FliteSynthesizer : INativeSynthesizer
{
    /// <summary>The engine name used in voice entries and requests.</summary>
    public const string EngineName = "flite";

    /// <summary>Rate and pitch multipliers are clamped to this range before they reach flite.</summary>
    public const double MinFactor = 0.25, MaxFactor = 4.0;

    /// <summary>Seed of the vocoder's noise when the request has none (glibc treats 0 as 1 anyway).</summary>
    private const int DefaultSeed = 1;

    private readonly FliteLoadedVoice[] _voices;
    private readonly Dictionary<string, FliteLoadedVoice> _byName = new(StringComparer.OrdinalIgnoreCase);
    private readonly EngineVoice[] _catalog;
    private bool _disposed;

    /// <summary>Loads libflite and registers its voices (once per process).</summary>
    /// <exception cref="EngineException">libflite or all of its voices are missing.</exception>
    public FliteSynthesizer()
    {
        _voices = FliteRuntime.Voices;
        _catalog = Array.ConvertAll(_voices, v => v.Voice);
        foreach (var voice in _voices)
        {
            _byName[voice.Voice.NativeName] = voice;
            _byName[voice.Voice.Id] = voice;
        }
    }

    /// <inheritdoc />
    public string Engine => EngineName;

    /// <inheritdoc />
    public EngineCapabilities Capabilities { get; } = new(
        NativeRate: true, NativePitch: true, WordEvents: true, Phonemes: false, Cloning: false, Deterministic: true,
        MaxChunkChars: 400);

    /// <inheritdoc />
    public IReadOnlyList<EngineVoice> ListVoices()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _catalog;
    }

    /// <inheritdoc />
    /// <remarks>
    /// <see cref="EngineRequest.Voice"/> is the native name ("slt") or the catalog id ("flite-slt"). Rate maps to
    /// flite's duration_stretch, pitch to its f0_shift, and volume scales the samples; <see cref="EngineRequest.Seed"/>
    /// seeds the clustergen vocoder's noise, so equal requests give equal audio. The rms voice ignores pitch: flite's
    /// rms model does not apply F0 targets (the flite CLI's --setf f0_shift behaves the same). Whitespace-only text yields
    /// no audio. Word boundaries come from the utterance's segment timings. Throws
    /// <see cref="OperationCanceledException"/> when <paramref name="cancellationToken"/> stops the synthesis.
    /// </remarks>
    public void Synthesize(EngineRequest request, NativeAudioSink sink, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        NativeRequestGuard.Validate(request, sink, Capabilities);
        if (!_byName.TryGetValue(request.Voice, out var voice))
            throw new EngineException(EngineErrorKind.InvalidRequest, $"Unknown flite voice '{request.Voice}'.");
        if (request.Phonemes is not null)
            throw new EngineException(EngineErrorKind.InvalidRequest, "flite does not accept phoneme input.");
        cancellationToken.ThrowIfCancellationRequested();
        if (string.IsNullOrWhiteSpace(request.Text)) return;

        var prosody = request.Prosody;
        var stretch = voice.DefaultDurationStretch / Math.Clamp(prosody.Rate, MinFactor, MaxFactor);
        var f0Shift = Math.Clamp(prosody.Pitch, MinFactor, MaxFactor);
        var seed = unchecked((uint)(request.Seed ?? DefaultSeed));
        FliteSynthesisCall.Run(voice, request.Text, stretch, f0Shift, (float)prosody.Volume, seed, sink, cancellationToken);
    }

    /// <inheritdoc />
    public void Dispose() => _disposed = true;
}
