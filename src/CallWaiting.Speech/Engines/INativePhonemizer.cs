namespace CallWaiting.Speech.Engines;

/// <summary>A native engine inside a worker that also translates text to phonemes for in-process neural engines.</summary>
public interface INativePhonemizer
{
    /// <summary>Translates <paramref name="text"/> with <paramref name="voice"/>'s rules, one entry per clause.</summary>
    /// <exception cref="EngineException">Unknown voice (<see cref="EngineErrorKind.InvalidRequest"/>) or text with a NUL.</exception>
    IReadOnlyList<PhonemeClause> Phonemize(string voice, string text);
}
