using System.Text;

namespace CallWaiting.Speech.Engines.Piper;

/// <summary>Piper's rules from espeak-ng's clauses (or the text itself) to phonemes and phoneme ids, as piper-phonemize has them.</summary>
public static class PiperPhonemes
{
    /// <summary>
    /// Groups clauses into sentences: each clause's IPA without <c>(lang)</c> switch marks, then its mark put back
    /// (<c>.</c> <c>?</c> <c>!</c>, or <c>, </c> <c>: </c> <c>; </c> with a space); a <c>.</c> <c>?</c> or <c>!</c>
    /// ends the sentence. Each sentence is a list of NFD code points.
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<string>> Sentences(IEnumerable<PhonemeClause> clauses)
    {
        ArgumentNullException.ThrowIfNull(clauses);
        var sentences = new List<IReadOnlyList<string>>();
        var current = new StringBuilder();
        foreach (var clause in clauses)
        {
            current.Append(clause.WithoutLanguageMarks());
            current.Append(clause.Terminator switch
            {
                '.' or '?' or '!' => clause.Terminator.ToString(),
                ',' or ':' or ';' => clause.Terminator + " ",
                _ => "",
            });
            if (!clause.EndsSentence) continue;
            sentences.Add(CodePoints(current.ToString()));
            current.Clear();
        }
        if (current.Length > 0) sentences.Add(CodePoints(current.ToString()));
        return sentences;
    }

    /// <summary>
    /// Cuts a sentence after its first clause mark (<c>,</c> <c>:</c> <c>;</c>, and the space after it), so the first
    /// part keeps its punctuation and every symbol stays in one part or the other; null when it has no clause mark
    /// before its end.
    /// </summary>
    public static (IReadOnlyList<string> Head, IReadOnlyList<string> Tail)? CutAtFirstClause(IReadOnlyList<string> sentence)
    {
        ArgumentNullException.ThrowIfNull(sentence);
        for (var i = 0; i < sentence.Count; i++)
        {
            if (sentence[i] is not ("," or ":" or ";")) continue;
            var end = i + 1 < sentence.Count && sentence[i + 1] == " " ? i + 2 : i + 1;
            return end < sentence.Count ? ([.. sentence.Take(end)], [.. sentence.Skip(end)]) : null;
        }
        return null;
    }

    /// <summary>Piper's <c>text</c> phoneme type: the text's own NFD code points, one sentence.</summary>
    public static IReadOnlyList<string> FromText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return CodePoints(text);
    }

    /// <summary>
    /// Piper's <c>phonemes_to_ids</c>: BOS, PAD, then each phoneme's ids followed by PAD, then EOS. Phonemes missing
    /// from the map are skipped and counted in <paramref name="unknown"/>.
    /// </summary>
    public static long[] ToIds(IReadOnlyList<string> phonemes, IReadOnlyDictionary<string, long[]> map, out int unknown)
    {
        ArgumentNullException.ThrowIfNull(phonemes);
        ArgumentNullException.ThrowIfNull(map);
        var pad = map[PiperConfig.Pad];
        var ids = new List<long>(phonemes.Count * 2 + 3);
        ids.AddRange(map[PiperConfig.Bos]);
        ids.AddRange(pad);
        unknown = 0;
        foreach (var phoneme in phonemes)
        {
            if (!map.TryGetValue(phoneme, out var mapped))
            {
                unknown++;
                continue;
            }
            ids.AddRange(mapped);
            ids.AddRange(pad);
        }
        ids.AddRange(map[PiperConfig.Eos]);
        return [.. ids];
    }

    /// <summary>
    /// Where each word starts in the ids <see cref="ToIds"/> gives for the same phonemes: the index of the id of each
    /// word's first phoneme (a phoneme after the start or a space, other than a space or a clause mark).
    /// </summary>
    public static IReadOnlyList<int> WordStarts(IReadOnlyList<string> phonemes, IReadOnlyDictionary<string, long[]> map)
    {
        ArgumentNullException.ThrowIfNull(phonemes);
        ArgumentNullException.ThrowIfNull(map);
        var pad = map[PiperConfig.Pad].Length;
        var position = map[PiperConfig.Bos].Length + pad;
        var starts = new List<int>();
        var atWordStart = true;
        foreach (var phoneme in phonemes)
        {
            if (!map.TryGetValue(phoneme, out var mapped)) continue;
            if (phoneme == " ") atWordStart = true;
            else if (atWordStart && !IsMark(phoneme))
            {
                starts.Add(position);
                atWordStart = false;
            }
            position += mapped.Length + pad;
        }
        return starts;
    }

    private static bool IsMark(string phoneme) => phoneme is "." or "?" or "!" or "," or ":" or ";";

    private static string[] CodePoints(string text) =>
        [.. text.Normalize(NormalizationForm.FormD).EnumerateRunes().Select(r => r.ToString())];
}
