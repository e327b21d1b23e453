namespace CallWaiting.Speech.Text;

/// <summary>
/// Cuts a sentence into chunks no longer than the engine's limit: at clause punctuation (, ; : and dashes) when one
/// falls in the last two thirds of the window, else at the last space, and mid-word only for a word longer than the
/// limit. Each window is scanned once from its end, so the work stays linear in the sentence length.
/// </summary>
internal static class TextChunker
{
    /// <summary>Appends the chunks of <paramref name="sentence"/> (a trimmed span of text) to <paramref name="chunks"/>.</summary>
    public static void Split(ReadOnlySpan<char> sentence, int maxChars, bool endsSentence, List<(string Text, bool EndsSentence)> chunks)
    {
        var start = 0;
        while (start < sentence.Length)
        {
            var rest = sentence[start..];
            if (rest.Length <= maxChars)
            {
                Add(chunks, rest, endsSentence);
                return;
            }

            var cut = FindCut(rest, maxChars, out var skip);
            Add(chunks, rest[..cut], false);
            start += cut + skip;
        }
    }

    // The length of the next chunk, and how many separator characters after it to drop.
    private static int FindCut(ReadOnlySpan<char> rest, int max, out int skip)
    {
        skip = 0;
        for (var k = max - 1; k >= max / 3; k--)
        {
            if (IsClauseEnd(rest, k))
            {
                return k + 1;
            }
        }

        for (var k = max; k > 0; k--)
        {
            if (rest[k] == ' ')
            {
                skip = 1;
                return k;
            }
        }

        // A single word longer than the limit: cut it, but not between the halves of a surrogate pair.
        return char.IsLowSurrogate(rest[max]) ? max - 1 : max;
    }

    private static bool IsClauseEnd(ReadOnlySpan<char> text, int k)
    {
        var c = text[k];
        if (c is '，' or '、' or '；' or '：')
        {
            return true;
        }

        var spaceAfter = k + 1 < text.Length && text[k + 1] == ' ';
        return spaceAfter && (c is ',' or ';' or ':' or '—' or '–' || (c == '-' && k > 0 && text[k - 1] == ' '));
    }

    private static void Add(List<(string Text, bool EndsSentence)> chunks, ReadOnlySpan<char> text, bool endsSentence)
    {
        var trimmed = text.Trim(' ');
        if (!trimmed.IsEmpty)
        {
            chunks.Add((trimmed.ToString(), endsSentence));
        }
    }
}
