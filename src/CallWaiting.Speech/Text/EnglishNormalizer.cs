using System.Text;

namespace CallWaiting.Speech.Text;

/// <summary>
/// English normalization: URLs and e-mail, phone numbers, dates, times, money, units, abbreviations, symbols and
/// numbers, in that order, so each rule sees the written forms it knows before a more general rule rewrites them.
/// Date order follows the region: month first for en-US and regionless "en", day first for en-GB and most others.
/// </summary>
public sealed class EnglishNormalizer : ITextNormalizer
{
    // English regions that write the month first; everywhere else writes the day first.
    private static readonly HashSet<string> MonthFirstRegions = new(StringComparer.OrdinalIgnoreCase) { "US", "PH", "CA", "FM", "MH", "PW", "AS", "GU", "PR", "VI", "UM", "MP" };

    /// <inheritdoc />
    public IReadOnlyList<string> Languages { get; } = ["en"];

    /// <inheritdoc />
    public string Normalize(string text, string language)
    {
        var dayFirst = IsDayFirst(language);
        text = UrlRules.Apply(text);
        text = PhoneRules.Apply(text);
        text = DateRules.Apply(text, dayFirst);
        text = TimeRules.Apply(text);
        text = CurrencyRules.Apply(text);
        text = UnitRules.Apply(text);
        text = AbbreviationRules.Apply(text);
        text = SymbolRules.Apply(text);
        text = NumberRules.Apply(text);
        return CollapseSpaces(text);
    }

    /// <inheritdoc />
    public string SayAs(string text, SayAs sayAs, string language) =>
        EnglishSayAs.Speak(text, sayAs, IsDayFirst(language)) ?? Normalize(text, language);

    /// <summary>True when the language tag's region writes dates day first (en-GB, en-AU, en-IN...).</summary>
    internal static bool IsDayFirst(string language)
    {
        var parts = language.Split('-', '_');
        for (var i = 1; i < parts.Length; i++)
        {
            if (parts[i].Length == 2 && char.IsAsciiLetter(parts[i][0]) && char.IsAsciiLetter(parts[i][1]))
            {
                return !MonthFirstRegions.Contains(parts[i]);
            }
        }

        return false;
    }

    // Rules insert words with spaces around them; runs of spaces would otherwise reach the engines and the chunker.
    private static string CollapseSpaces(string text)
    {
        if (!text.Contains("  ", StringComparison.Ordinal) && !text.Contains(" \n", StringComparison.Ordinal) && !text.Contains("\n ", StringComparison.Ordinal))
        {
            return text;
        }

        var sb = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (c == ' ' && sb.Length > 0 && sb[^1] is ' ' or TextSanitizer.Paragraph)
            {
                continue;
            }

            if (c == TextSanitizer.Paragraph && sb.Length > 0 && sb[^1] == ' ')
            {
                sb.Length--;
            }

            sb.Append(c);
        }

        return sb.ToString();
    }
}
