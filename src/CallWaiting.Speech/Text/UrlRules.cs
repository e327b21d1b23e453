using System.Text;
using System.Text.RegularExpressions;

namespace CallWaiting.Speech.Text;

/// <summary>English reading of URLs and e-mail addresses: "www.example.com/help" → "w w w dot example dot com slash help".</summary>
internal static class UrlRules
{
    private static readonly Regex Email = TextPatterns.Create(
        @"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}");

    private static readonly Regex Url = TextPatterns.Create(
        @"(https?://|www\.)[^\s<>""]+|[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)*\.(com|org|net|io|gov|edu|co|uk|us|ca|de|fr|au|info|biz|app|dev|ai|me|tv)\b(/[^\s<>""]*)?");

    // Short labels people say as words, and ones they spell.
    private static readonly Dictionary<string, string> KnownLabels = new(StringComparer.OrdinalIgnoreCase)
    {
        ["com"] = "com", ["org"] = "org", ["net"] = "net", ["gov"] = "gov", ["co"] = "co", ["info"] = "info",
        ["biz"] = "biz", ["app"] = "app", ["dev"] = "dev", ["me"] = "me", ["www"] = "w w w", ["edu"] = "e d u",
        ["io"] = "i o", ["ai"] = "eigh i", ["uk"] = "u k", ["us"] = "u s", ["tv"] = "t v", ["html"] = "h t m l",
        ["php"] = "p h p", ["faq"] = "f eigh q", ["api"] = "eigh p i",
    };

    /// <summary>Replaces every e-mail address and URL in <paramref name="text"/> with its spoken form.</summary>
    public static string Apply(string text)
    {
        if (text.Contains('@'))
        {
            text = Email.Replace(text, m => Speak(m.Value, dropScheme: false));
        }

        return text.Contains('.') ? Url.Replace(text, m => Speak(m.Value, dropScheme: true)) : text;
    }

    private static string Speak(string value, bool dropScheme)
    {
        // Sentence punctuation after an address belongs to the sentence.
        var end = value.Length;
        while (end > 0 && value[end - 1] is '.' or ',' or ';' or ':' or '!' or '?' or ')' or ']' or '\'' or '"')
        {
            end--;
        }

        var address = value.AsSpan(0, end);
        var schemeEnd = address.IndexOf("://");
        if (dropScheme && schemeEnd >= 0)
        {
            address = address[(schemeEnd + 3)..];
        }

        address = address.TrimEnd('/');
        var sb = new StringBuilder(address.Length * 4);
        var i = 0;
        while (i < address.Length)
        {
            var c = address[i];
            var j = i + 1;
            if (char.IsAsciiLetter(c))
            {
                while (j < address.Length && char.IsAsciiLetter(address[j]) && !(char.IsUpper(address[j]) && char.IsLower(address[j - 1])))
                {
                    j++;
                }

                AppendItem(sb, Label(address[i..j]));
            }
            else if (char.IsAsciiDigit(c))
            {
                while (j < address.Length && char.IsAsciiDigit(address[j]))
                {
                    j++;
                }

                AppendItem(sb, NumberWords.DigitByDigit(address[i..j], groupSize: 0));
            }
            else if (SymbolName(c) is { } name)
            {
                AppendItem(sb, name);
            }

            i = j;
        }

        return sb.Append(value.AsSpan(end)).ToString();
    }

    private static string Label(ReadOnlySpan<char> label)
    {
        if (KnownLabels.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(label, out var known))
        {
            return known;
        }

        var word = label.Length switch
        {
            > 3 => Spelling.LooksPronounceable(label),
            3 => !IsVowel(label[0]) && IsVowel(label[1]), // "fox" and "doe" are words, "ibm" and "bbc" are letters
            _ => false,
        };
        return word ? label.ToString().ToLowerInvariant() : Spelling.SpellEnglish(label);
    }

    private static bool IsVowel(char c) => char.ToLowerInvariant(c) is 'a' or 'e' or 'i' or 'o' or 'u';

    private static string? SymbolName(char c) => c switch
    {
        '.' => "dot",
        '/' => "slash",
        '-' => "dash",
        '_' => "underscore",
        '@' => "at",
        ':' => "colon",
        '?' => "question mark",
        '=' => "equals",
        '&' => "and",
        '#' => "hash",
        '%' => "percent",
        '+' => "plus",
        '~' => "tilde",
        _ => null,
    };

    private static void AppendItem(StringBuilder sb, string item)
    {
        if (sb.Length > 0)
        {
            sb.Append(' ');
        }

        sb.Append(item);
    }
}
