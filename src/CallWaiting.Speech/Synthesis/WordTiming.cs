namespace CallWaiting.Speech.Synthesis;

/// <summary>One spoken word and where it lies in the audio, in milliseconds from the start.</summary>
/// <param name="Word">The word as the engine spoke it (after text normalization: "42" is spoken as "forty two").</param>
/// <param name="StartMs">Where it starts.</param>
/// <param name="EndMs">Where it ends.</param>
public readonly record struct WordTiming(string Word, long StartMs, long EndMs);
