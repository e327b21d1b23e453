using System.Text;
using System.Text.RegularExpressions;

namespace CallWaiting.Speech.Text;

/// <summary>
/// English numbers left after the specific rules: version and IP numbers (1.2.3), decades (1990s), ordinals (21st),
/// ranges (10-20), and cardinals with thousands commas, signs and decimals; four-digit numbers read as years.
/// </summary>
internal static class NumberRules
{
    private static readonly Regex Dotted = TextPatterns.Create(@"\b[0-9]+(\.[0-9]+){2,}\b");
    private static readonly Regex Decade = TextPatterns.Create(@"\b([0-9]{3}0)s\b|'([0-9])0s\b");
    private static readonly Regex Ordinal = TextPatterns.Create(@"\b([0-9]{1,3}(,[0-9]{3})+|[0-9]+)(st|nd|rd|th)\b");
    private static readonly Regex Range = TextPatterns.Create(@"\b([0-9]{1,4})[\-–]([0-9]{1,4})\b");
    // Deliberately loose (no captures, no grouping rules): the match is checked by hand, which keeps the
    // non-backtracking engine on its fast path for text with many numbers.
    private static readonly Regex Number = TextPatterns.Create(@"[\-−]?[0-9][0-9,]*(?:\.[0-9]+)?");

    /// <summary>Replaces the numbers in <paramref name="text"/> with words.</summary>
    public static string Apply(string text)
    {
        if (!text.AsSpan().ContainsAnyInRange('0', '9'))
        {
            return text;
        }

        text = Dotted.Replace(text, m => Spaced(text, m, SpeakDotted(m.ValueSpan)));
        text = Decade.Replace(text, m => m.Groups[1].Success
            ? Plural(NumberWords.Year(int.Parse(m.Groups[1].ValueSpan, provider: null)))
            : Plural(NumberWords.Cardinal((m.Groups[2].Value[0] - '0') * 10)));
        text = Ordinal.Replace(text, m =>
        {
            var digits = m.Groups[1].Value.Replace(",", string.Empty, StringComparison.Ordinal);
            var words = digits.Length <= NumberWords.MaxCardinalDigits ? NumberWords.Ordinal(long.Parse(digits, provider: null)) : NumberWords.Cardinal(digits);
            return Spaced(text, m, words);
        });
        text = Range.Replace(text, m =>
        {
            var end = m.Index + m.Length;
            return m.Index > 0 && text[m.Index - 1] is '-' or '.' || end < text.Length && text[end] is '-' or '.' && TextPatterns.AlnumAt(text, end + 1)
                ? m.Value
                : Spaced(text, m, Read(m.Groups[1].Value, string.Empty) + " to " + Read(m.Groups[2].Value, string.Empty));
        });
        return Number.Replace(text, m => Spaced(text, m, SpeakNumber(text, m)));
    }

    private static string SpeakNumber(string text, Match m)
    {
        var value = m.Value;
        var sign = value[0] is '-' or '−' ? value[..1] : string.Empty;
        var body = value.AsSpan(sign.Length);
        var trailing = body.Length - body.TrimEnd(',').Length; // "5, 6": the comma belongs to the sentence
        body = body[..^trailing];
        var dot = body.IndexOf('.');
        var integer = dot >= 0 ? body[..dot] : body;
        var fraction = dot >= 0 ? body[(dot + 1)..].ToString() : string.Empty;
        string words;
        if (!integer.Contains(',') || IsGrouped(integer))
        {
            words = Read(integer.ToString(), fraction);
        }
        else
        {
            // "1,23" is not a thousands-grouped number: read the comma-separated parts as a list.
            var parts = integer.ToString().Split(',', StringSplitOptions.RemoveEmptyEntries);
            parts[^1] += fraction.Length > 0 ? "." + fraction : string.Empty;
            words = string.Join(", ", parts.Select(part => part.Contains('.') ? Read(part[..part.IndexOf('.')], part[(part.IndexOf('.') + 1)..]) : Read(part, string.Empty)));
        }

        if (sign.Length > 0)
        {
            words = TextPatterns.SignPosition(text, m.Index) ? "minus " + words : sign + words;
        }

        return trailing > 0 ? words + new string(',', trailing) : words;
    }

    // "1,234,567": a first group of one to three digits, then groups of exactly three.
    private static bool IsGrouped(ReadOnlySpan<char> integer)
    {
        var first = true;
        foreach (var range in integer.Split(','))
        {
            var length = range.End.Value - range.Start.Value;
            if (first ? length is < 1 or > 3 : length != 3)
            {
                return false;
            }

            first = false;
        }

        return true;
    }

    /// <summary>Reads a number from its integer digits (thousands commas allowed) and fraction digits.</summary>
    public static string Read(string integer, string fraction)
    {
        var digits = integer.Contains(',') ? integer.Replace(",", string.Empty, StringComparison.Ordinal) : integer;
        if (fraction.Length > 0)
        {
            return NumberWords.Decimal(digits, fraction);
        }

        // A bare four-digit number between 1100 and 2099 is most often a year ("in 1999"); with commas it is a count.
        if (digits.Length == 4 && integer.Length == 4 && digits[0] != '0' && int.Parse(digits, provider: null) is >= 1100 and <= 2099 and var year)
        {
            return NumberWords.Year(year);
        }

        return NumberWords.Cardinal(digits);
    }

    private static string SpeakDotted(ReadOnlySpan<char> value)
    {
        var sb = new StringBuilder(value.Length * 6);
        foreach (var part in value.Split('.'))
        {
            if (sb.Length > 0)
            {
                sb.Append(" dot ");
            }

            sb.Append(NumberWords.Cardinal(value[part]));
        }

        return sb.ToString();
    }

    // "covid19" → "covid nineteen": number words glued to letters would be read as one strange word.
    private static string Spaced(string text, Match m, string words)
    {
        var before = TextPatterns.AlnumBefore(text, m.Index) ? " " : string.Empty;
        var after = TextPatterns.AlnumAt(text, m.Index + m.Length) ? " " : string.Empty;
        return before + words + after;
    }

    private static string Plural(string words) =>
        words.EndsWith('y') ? words[..^1] + "ies" : words + "s";
}
