namespace CallWaiting.Speech.Engines;

/// <summary>
/// A native engine as hosted inside an engine worker process: one library, one call at a time.
/// The API process never loads these libraries itself; it talks to workers (see Workers/).
/// </summary>
public interface INativeSynthesizer : IDisposable
{
    /// <summary>Engine name ("flite", "espeak").</summary>
    string Engine { get; }

    /// <summary>What the engine can do.</summary>
    EngineCapabilities Capabilities { get; }

    /// <summary>Every usable voice of this engine on this machine.</summary>
    IReadOnlyList<EngineVoice> ListVoices();

    /// <summary>
    /// Synthesizes one chunk, handing PCM16 blocks to <paramref name="sink"/> as the engine produces them.
    /// Stops early when the sink returns false or the token is cancelled.
    /// </summary>
    void Synthesize(EngineRequest request, NativeAudioSink sink, CancellationToken cancellationToken);
}

/// <summary>Receives one block of PCM16 audio and the word events inside it; returns false to stop synthesis.</summary>
/// <param name="samples">Mono PCM16 at <paramref name="sampleRate"/>.</param>
/// <param name="sampleRate">Sample rate of the block.</param>
/// <param name="words">Word events whose offsets are relative to the start of this block.</param>
public delegate bool NativeAudioSink(ReadOnlySpan<short> samples, int sampleRate, IReadOnlyList<Audio.WordBoundary> words);
