using System.Text;
using System.Text.RegularExpressions;

namespace CallWaiting.Speech.Text;

/// <summary>
/// English symbols: "&amp;" → "and", "#5" → "number 5", "#tag" → "hashtag tag", "@name" → "at name", "+" → "plus",
/// "=" → "equals", "~5" → "about 5", simple fractions ("3/4" → "three quarters") and "/" → "slash".
/// </summary>
internal static class SymbolRules
{
    private static readonly Regex Fraction = TextPatterns.Create(@"\b([0-9]{1,3})/([0-9]{1,2})\b");
    private static readonly Regex Tagged = TextPatterns.Create(@"#([0-9])|#([A-Za-z]\w*)|@(\w+)");

    private static readonly string[] Denominators = ["", "", "half", "third", "quarter", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"];

    /// <summary>Replaces symbols in <paramref name="text"/> with words.</summary>
    public static string Apply(string text)
    {
        if (text.Contains('/'))
        {
            text = Fraction.Replace(text, m => SpeakFraction(text, m));
        }

        if (text.Contains('#') || text.Contains('@'))
        {
            text = Tagged.Replace(text, m => m.Groups[1].Success ? "number " + m.Groups[1].Value
                : m.Groups[2].Success ? "hashtag " + m.Groups[2].Value
                : "at " + m.Groups[3].Value);
        }

        return ReplaceCharacters(text);
    }

    private static string SpeakFraction(string text, Match m)
    {
        var end = m.Index + m.Length;
        if (TextPatterns.AlnumBefore(text, m.Index) || (end < text.Length && text[end] == '/'))
        {
            return m.Value;
        }

        var numerator = int.Parse(m.Groups[1].ValueSpan, provider: System.Globalization.CultureInfo.InvariantCulture);
        var denominator = int.Parse(m.Groups[2].ValueSpan, provider: System.Globalization.CultureInfo.InvariantCulture);
        if (numerator == 24 && denominator == 7)
        {
            return "twenty-four seven";
        }

        if (denominator is < 2 or > 10 || numerator == 0)
        {
            return NumberWords.Cardinal(numerator) + " slash " + NumberWords.Cardinal(denominator);
        }

        var unit = Denominators[denominator];
        return numerator == 1 ? "one " + unit
            : NumberWords.Cardinal(numerator) + " " + (denominator == 2 ? "halves" : unit + "s");
    }

    private static string ReplaceCharacters(string text)
    {
        if (text.AsSpan().IndexOfAny("&+=~/\\*|^_<>×©®™§") < 0)
        {
            return text;
        }

        var sb = new StringBuilder(text.Length + 16);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var word = c switch
            {
                '&' => "and",
                '+' => "plus",
                '=' => "equals",
                '~' when i + 1 < text.Length && char.IsAsciiDigit(text[i + 1]) => "about",
                '/' => "slash",
                '<' => "less than",
                '>' => "greater than",
                '×' => "times",
                '©' => "copyright",
                '§' => "section",
                // Decoration that people do not read aloud.
                '~' or '\\' or '*' or '|' or '^' or '_' or '®' or '™' => string.Empty,
                _ => null,
            };
            if (word is null)
            {
                sb.Append(c);
                continue;
            }

            // Words get spaces around them; removed decoration leaves one space so the words on either side stay apart.
            if (sb.Length > 0 && sb[^1] != ' ')
            {
                sb.Append(' ');
            }

            if (word.Length > 0)
            {
                sb.Append(word);
                if (i + 1 < text.Length && text[i + 1] != ' ')
                {
                    sb.Append(' ');
                }
            }
        }

        return sb.ToString();
    }
}
