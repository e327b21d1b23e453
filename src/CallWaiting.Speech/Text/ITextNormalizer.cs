namespace CallWaiting.Speech.Text;

/// <summary>
/// Language-specific normalization: turns written forms (numbers, money, dates, abbreviations) into the words a
/// person would say. Runs after sanitizing and before long-token splitting and chunking.
/// </summary>
public interface ITextNormalizer
{
    /// <summary>BCP-47 language prefixes this normalizer serves, e.g. "en" (matching "en-US", "en-GB").</summary>
    IReadOnlyList<string> Languages { get; }

    /// <summary>Normalizes sanitized text; <paramref name="language"/> is the full tag, for locale details such as date order.</summary>
    string Normalize(string text, string language);

    /// <summary>Speaks <paramref name="text"/> as SSML &lt;say-as&gt; asks.</summary>
    string SayAs(string text, SayAs sayAs, string language);
}
