namespace CallWaiting.Speech.Engines;

/// <summary>Text to espeak-ng IPA for in-process engines; the worker pool does it in its processes, as espeak must run there.</summary>
public interface IPhonemizer
{
    /// <summary>Translates <paramref name="text"/> with the espeak-ng voice <paramref name="voice"/>, one entry per clause.</summary>
    /// <param name="voice">An espeak-ng voice name ("en-us") or catalog id ("espeak-en-us").</param>
    /// <param name="text">Normalized text.</param>
    /// <param name="continuation">A later chunk of an admitted stream: served first and never refused as overloaded.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <exception cref="EngineException">Unknown voice, overloaded, or espeak-ng is not available.</exception>
    Task<IReadOnlyList<PhonemeClause>> PhonemizeAsync(string voice, string text, bool continuation, CancellationToken cancellationToken);
}
