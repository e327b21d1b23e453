namespace CallWaiting.Speech.Engines.Kokoro;

/// <summary>
/// From espeak-ng's clauses to Kokoro's token chunks: each clause's IPA with its mark put back (<c>, : ;</c> then a
/// space before the next clause), each symbol mapped through the vocabulary (unknown ones skipped and counted). One
/// chunk per sentence; a sentence longer than <see cref="MaxTokens"/> is cut at clause boundaries, a clause that
/// still is at word boundaries, a word that still is anywhere. A first sentence longer than the caller's cut is spoken
/// as its first clause, then the rest, so its first audio comes sooner.
/// </summary>
public static class KokoroTokens
{
    /// <summary>
    /// Most tokens in one chunk, not counting the two pads: the style row is the token count, and a pack's last row is
    /// 509 (<see cref="KokoroVoicePack.Rows"/> − 1), so 509 tokens and the pads make 511, inside Kokoro's 512 context.
    /// </summary>
    public const int MaxTokens = KokoroVoicePack.Rows - 1;

    /// <summary>The pad token, put at both ends of every chunk.</summary>
    public const long Pad = 0;

    /// <summary>The chunks (without pads) that <paramref name="clauses"/> make, each at most <paramref name="maxTokens"/> long.</summary>
    /// <param name="clauses">espeak-ng's clauses.</param>
    /// <param name="vocab">The model's vocabulary.</param>
    /// <param name="unknown">Symbols skipped because the vocabulary lacks them.</param>
    /// <param name="maxTokens">Most tokens in one chunk.</param>
    /// <param name="firstSentenceCut">A first sentence of more tokens than this, of two clauses or more, is cut after its first clause; 0 never cuts.</param>
    public static IReadOnlyList<long[]> Chunks(IEnumerable<PhonemeClause> clauses, IReadOnlyDictionary<string, long> vocab, out int unknown,
        int maxTokens = MaxTokens, int firstSentenceCut = 0)
    {
        ArgumentNullException.ThrowIfNull(clauses);
        ArgumentNullException.ThrowIfNull(vocab);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTokens, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(firstSentenceCut);
        var chunks = new List<long[]>();
        var sentence = new List<List<long>>();
        unknown = 0;
        foreach (var clause in clauses)
        {
            var tokens = new List<long>();
            unknown += Map(clause.WithoutLanguageMarks().Trim(), vocab, tokens);
            if (clause.Terminator is '.' or '?' or '!' or ',' or ':' or ';') unknown += Map(clause.Terminator.ToString(), vocab, tokens);
            if (tokens.Count > 0) sentence.Add(tokens);
            if (!clause.EndsSentence) continue;
            Sentence(sentence, vocab, maxTokens, chunks.Count == 0 ? firstSentenceCut : 0, chunks);
            sentence.Clear();
        }
        Sentence(sentence, vocab, maxTokens, chunks.Count == 0 ? firstSentenceCut : 0, chunks);
        return chunks;
    }

    // One sentence's chunks; a sentence longer than cut (clauses and the spaces between them) is its first clause, then the rest.
    private static void Sentence(List<List<long>> clauses, IReadOnlyDictionary<string, long> vocab, int max, int cut, List<long[]> chunks)
    {
        if (cut > 0 && clauses.Count > 1 && clauses.Sum(c => c.Count) + clauses.Count - 1 > cut)
        {
            Split(clauses[..1], vocab, max, chunks);
            Split(clauses[1..], vocab, max, chunks);
            return;
        }
        Split(clauses, vocab, max, chunks);
    }

    /// <summary>A chunk with the pad at both ends, as the graph takes it.</summary>
    public static long[] Padded(long[] chunk)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        return [Pad, .. chunk, Pad];
    }

    private static int Map(string ipa, IReadOnlyDictionary<string, long> vocab, List<long> tokens)
    {
        var unknown = 0;
        foreach (var rune in ipa.EnumerateRunes())
        {
            if (vocab.TryGetValue(rune.ToString(), out var id)) tokens.Add(id);
            else unknown++;
        }
        return unknown;
    }

    // Clauses joined by a space, greedily packed into chunks; what does not fit is cut smaller.
    private static void Split(List<List<long>> clauses, IReadOnlyDictionary<string, long> vocab, int max, List<long[]> chunks)
    {
        if (clauses.Count == 0) return;
        var space = vocab.TryGetValue(" ", out var s) ? s : (long?)null;
        var current = new List<long>();
        foreach (var clause in clauses)
        {
            var separator = current.Count > 0 && space is not null ? 1 : 0;
            if (current.Count + separator + clause.Count <= max)
            {
                if (separator == 1) current.Add(space!.Value);
                current.AddRange(clause);
                continue;
            }
            if (current.Count > 0) chunks.Add([.. current]);
            current.Clear();
            if (clause.Count <= max)
            {
                current.AddRange(clause);
                continue;
            }
            foreach (var piece in Words(clause, space, max)) chunks.Add(piece);
        }
        if (current.Count > 0) chunks.Add([.. current]);
    }

    // A clause longer than a chunk: words packed greedily, a word longer than a chunk cut into chunk-sized pieces.
    private static IEnumerable<long[]> Words(List<long> clause, long? space, int max)
    {
        var words = new List<List<long>> { new() };
        foreach (var token in clause)
        {
            if (token == space) words.Add([]);
            else words[^1].Add(token);
        }
        var current = new List<long>();
        foreach (var word in words.Where(w => w.Count > 0))
        {
            var separator = current.Count > 0 ? 1 : 0;
            if (current.Count + separator + word.Count <= max)
            {
                if (separator == 1) current.Add(space!.Value);
                current.AddRange(word);
                continue;
            }
            if (current.Count > 0) yield return [.. current];
            current.Clear();
            for (var i = 0; i < word.Count; i += max)
            {
                var piece = word.GetRange(i, Math.Min(max, word.Count - i));
                if (piece.Count == max) yield return [.. piece];
                else current.AddRange(piece);
            }
        }
        if (current.Count > 0) yield return [.. current];
    }
}
