namespace CallWaiting.Speech.Engines;

/// <summary>A text's words as the neural engines pair them with espeak-ng's phoneme words for word timings.</summary>
internal static class TextWords
{
    private static readonly char[] Punctuation = [.. ".,;:!?\"'()[]{}«»“”‘’…-—".ToCharArray()];

    /// <summary>The whitespace-separated words of <paramref name="text"/>, without the punctuation around them; words that are only punctuation are left out.</summary>
    public static string[] Of(string text) =>
        [.. text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Select(w => w.Trim(Punctuation)).Where(w => w.Length > 0)];
}
