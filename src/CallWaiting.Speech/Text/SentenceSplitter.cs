namespace CallWaiting.Speech.Text;

/// <summary>
/// Splits normalized text into sentences. A period is not a sentence end inside a number (3.14), after a title
/// abbreviation (Dr. Smith) or an initial (J. R. R. Tolkien), or before a lower-case word (an ellipsis mid-sentence,
/// "e.g. this"). Closing quotes and brackets stay with their sentence; a paragraph break always ends one.
/// </summary>
internal static class SentenceSplitter
{
    // Abbreviations that precede a name or number, so their period never ends a sentence (English and a few others).
    private static readonly HashSet<string> NonFinal = new(StringComparer.Ordinal)
    {
        "Mr", "Mrs", "Ms", "Dr", "Prof", "St", "Mt", "Gen", "Capt", "Lt", "Sgt", "Gov", "Sen", "Rep", "Rev", "Fr", "Hon",
        "vs", "No", "Nr", "Nos", "no", "e.g", "i.e", "cf", "approx", "z.B", "bzw", "Sr", "Sra", "Srta", "Mme", "Mlle",
    };

    /// <summary>A sentence as a range of the text, and whether it ends with sentence-final punctuation or a paragraph.</summary>
    public readonly record struct Sentence(int Start, int End, bool Final);

    /// <summary>Finds the sentences in <paramref name="text"/>, in order, trimmed of surrounding spaces.</summary>
    public static List<Sentence> Split(string text)
    {
        var sentences = new List<Sentence>();
        var start = 0;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == TextSanitizer.Paragraph)
            {
                Add(sentences, text, start, i, final: true);
                start = ++i;
                continue;
            }

            if (!IsTerminal(c))
            {
                i++;
                continue;
            }

            var j = i + 1;
            while (j < text.Length && (IsTerminal(text[j]) || IsCloser(text[j])))
            {
                j++;
            }

            if (IsBoundary(text, i, j))
            {
                Add(sentences, text, start, j, final: true);
                start = j;
            }

            i = j;
        }

        Add(sentences, text, start, text.Length, final: false);
        return sentences;
    }

    private static bool IsBoundary(string text, int terminal, int after)
    {
        var c = text[terminal];
        if (IsFullWidthTerminal(c))
        {
            return true; // Chinese and Japanese put no space after a sentence
        }

        if (after < text.Length && text[after] is not ' ' and not TextSanitizer.Paragraph)
        {
            return false; // 3.14, e.g.x, U.S.A
        }

        var next = TextPatterns.NextWord(text, after);
        if (!next.IsEmpty && char.IsLower(next[0]))
        {
            return false;
        }

        if (c != '.' || after - terminal > 1 && text[terminal + 1] == '.')
        {
            return true; // ! ? and an ellipsis before a capital end the sentence
        }

        var word = WordBefore(text, terminal);
        return !(NonFinal.Contains(word) || (word.Length == 1 && char.IsUpper(word[0]) && !next.IsEmpty));
    }

    private static string WordBefore(string text, int index)
    {
        var start = index;
        while (start > 0 && text[start - 1] is not ' ' and not TextSanitizer.Paragraph)
        {
            start--;
        }

        while (start < index && text[start] is '"' or '\'' or '(' or '[' or '“' or '‘' or '«')
        {
            start++;
        }

        return text[start..index];
    }

    private static void Add(List<Sentence> sentences, string text, int start, int end, bool final)
    {
        while (start < end && text[start] == ' ')
        {
            start++;
        }

        while (end > start && text[end - 1] == ' ')
        {
            end--;
        }

        if (end > start)
        {
            sentences.Add(new Sentence(start, end, final || IsTerminal(text[end - 1]) || EndsWithTerminalBeforeClosers(text, start, end)));
        }
    }

    private static bool EndsWithTerminalBeforeClosers(string text, int start, int end)
    {
        var k = end - 1;
        while (k > start && IsCloser(text[k]))
        {
            k--;
        }

        return IsTerminal(text[k]);
    }

    private static bool IsTerminal(char c) => c is '.' or '!' or '?' or '…' or '؟' or '।' or '॥' || IsFullWidthTerminal(c);

    private static bool IsFullWidthTerminal(char c) => c is '。' or '！' or '？';

    private static bool IsCloser(char c) => c is '"' or '\'' or ')' or ']' or '”' or '’' or '»' or '」' or '』';
}
