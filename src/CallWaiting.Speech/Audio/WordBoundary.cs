namespace CallWaiting.Speech.Audio;

/// <summary>Where a word starts in the audio, and which text it came from.</summary>
/// <param name="Word">The word as spoken (after normalization).</param>
/// <param name="SampleOffset">First sample of the word, relative to the start of the chunk that carries it.</param>
/// <param name="SampleLength">Approximate length of the word in samples (0 when unknown).</param>
public sealed record WordBoundary(string Word, long SampleOffset, long SampleLength);
