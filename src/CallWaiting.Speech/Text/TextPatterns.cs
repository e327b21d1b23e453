using System.Text.RegularExpressions;

namespace CallWaiting.Speech.Text;

/// <summary>
/// Regex construction and context helpers for the rule passes. Every pattern uses the non-backtracking engine, so
/// matching stays linear in the input whatever it contains; the timeout is a last line of defence. Patterns write
/// [0-9], never \d, which would also match Arabic-Indic, Devanagari and other digits that the number readers cannot parse.
/// </summary>
internal static class TextPatterns
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    /// <summary>A linear-time, culture-invariant regex.</summary>
    public static Regex Create(string pattern, bool ignoreCase = false) =>
        new(pattern, RegexOptions.NonBacktracking | RegexOptions.CultureInvariant | (ignoreCase ? RegexOptions.IgnoreCase : 0), Timeout);

    /// <summary>True when the character before <paramref name="index"/> exists and is a letter or digit.</summary>
    public static bool AlnumBefore(string text, int index) => index > 0 && char.IsLetterOrDigit(text[index - 1]);

    /// <summary>True when the character at <paramref name="index"/> exists and is a letter or digit.</summary>
    public static bool AlnumAt(string text, int index) => index < text.Length && char.IsLetterOrDigit(text[index]);

    /// <summary>True when a minus sign at <paramref name="index"/> is a sign, not a hyphen (start, space or bracket before it).</summary>
    public static bool SignPosition(string text, int index) => index == 0 || text[index - 1] is ' ' or '(' or '[' or TextSanitizer.Paragraph;

    /// <summary>The whitespace-delimited word ending just before <paramref name="index"/> (skipping spaces), or empty.</summary>
    public static ReadOnlySpan<char> PreviousWord(string text, int index, out int start)
    {
        var end = index;
        while (end > 0 && text[end - 1] == ' ')
        {
            end--;
        }

        start = end;
        while (start > 0 && !char.IsWhiteSpace(text[start - 1]))
        {
            start--;
        }

        return text.AsSpan(start, end - start);
    }

    /// <summary>The whitespace-delimited word starting at or after <paramref name="index"/> (skipping spaces), or empty.</summary>
    public static ReadOnlySpan<char> NextWord(string text, int index)
    {
        var start = index;
        while (start < text.Length && text[start] == ' ')
        {
            start++;
        }

        var end = start;
        while (end < text.Length && !char.IsWhiteSpace(text[end]))
        {
            end++;
        }

        return text.AsSpan(start, end - start);
    }

    /// <summary>True when the word starting at <paramref name="start"/> begins a sentence (text start, paragraph or after . ! ?).</summary>
    public static bool StartsSentence(string text, int start)
    {
        var i = start;
        while (i > 0 && text[i - 1] == ' ')
        {
            i--;
        }

        return i == 0 || text[i - 1] is '.' or '!' or '?' or TextSanitizer.Paragraph;
    }

    /// <summary>
    /// True when a period at <paramref name="end"/> - 1 also ends the sentence: end of text, a paragraph, or a space and
    /// then a capital letter.
    /// </summary>
    public static bool PeriodEndsSentence(string text, int end)
    {
        if (end >= text.Length || text[end] == TextSanitizer.Paragraph)
        {
            return true;
        }

        if (text[end] != ' ')
        {
            return false;
        }

        var next = NextWord(text, end);
        return next.IsEmpty || char.IsUpper(next[0]);
    }

    /// <summary>True when the word starts with an upper-case letter.</summary>
    public static bool IsCapitalized(ReadOnlySpan<char> word) => !word.IsEmpty && char.IsUpper(word[0]);
}
