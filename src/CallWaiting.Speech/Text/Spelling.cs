using System.Text;

namespace CallWaiting.Speech.Text;

/// <summary>Letter-by-letter reading and a cheap test of whether a Latin-letter string can be read as a word.</summary>
internal static class Spelling
{
    /// <summary>True when the word looks like something an engine can pronounce rather than a random string.</summary>
    /// <remarks>Words with non-ASCII letters (other scripts) are treated as pronounceable: no heuristic here applies to them.</remarks>
    public static bool LooksPronounceable(ReadOnlySpan<char> word)
    {
        int letters = 0, vowels = 0, consonantRun = 0, maxConsonantRun = 0, sameRun = 0, maxSameRun = 0;
        var previous = '\0';
        foreach (var raw in word)
        {
            if (raw > 0x7F)
            {
                return true;
            }

            if (!char.IsAsciiLetter(raw))
            {
                continue;
            }

            var c = char.ToLowerInvariant(raw);
            letters++;
            sameRun = c == previous ? sameRun + 1 : 1;
            maxSameRun = Math.Max(maxSameRun, sameRun);
            previous = c;
            if (c is 'a' or 'e' or 'i' or 'o' or 'u' or 'y')
            {
                vowels++;
                consonantRun = 0;
            }
            else
            {
                maxConsonantRun = Math.Max(maxConsonantRun, ++consonantRun);
            }
        }

        if (letters == 0)
        {
            return false;
        }

        var ratio = (double)vowels / letters;
        return ratio is >= 0.2 and <= 0.75 && maxConsonantRun <= 4 && maxSameRun <= 2;
    }

    /// <summary>
    /// English letter names for each letter and digit, space separated: "ab1" → "eigh b one". Other characters are
    /// dropped. A lone "a" would be read as the article, so it is written "eigh", which espeak-ng and flite both
    /// read as the letter name.
    /// </summary>
    public static string SpellEnglish(ReadOnlySpan<char> text)
    {
        var sb = new StringBuilder(text.Length * 2);
        foreach (var c in text)
        {
            string? item = c switch
            {
                'a' or 'A' => "eigh",
                >= '0' and <= '9' => NumberWords.Digit(c),
                _ when char.IsLetter(c) => char.ToLowerInvariant(c).ToString(),
                _ => null,
            };
            if (item is null)
            {
                continue;
            }

            if (sb.Length > 0)
            {
                sb.Append(' ');
            }

            sb.Append(item);
        }

        return sb.ToString();
    }
}
