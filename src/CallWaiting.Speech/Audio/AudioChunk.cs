namespace CallWaiting.Speech.Audio;

/// <summary>A block of mono PCM audio (float samples in [-1, 1]) with the word boundaries that fall inside it.</summary>
/// <param name="Samples">Mono samples; the chunk owns this array.</param>
/// <param name="SampleRate">Samples per second.</param>
/// <param name="Words">Word boundaries whose <see cref="WordBoundary.SampleOffset"/> is relative to the chunk start.</param>
public sealed record AudioChunk(float[] Samples, int SampleRate, IReadOnlyList<WordBoundary> Words)
{
    /// <summary>An empty word list shared by chunks that carry no alignment.</summary>
    public static readonly IReadOnlyList<WordBoundary> NoWords = Array.Empty<WordBoundary>();

    /// <summary>Duration of the chunk.</summary>
    public TimeSpan Duration => TimeSpan.FromSeconds((double)Samples.Length / SampleRate);

    /// <summary>Creates a chunk without word boundaries.</summary>
    public static AudioChunk Of(float[] samples, int sampleRate) => new(samples, sampleRate, NoWords);
}
