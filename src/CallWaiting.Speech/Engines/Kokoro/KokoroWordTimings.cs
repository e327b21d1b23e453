using CallWaiting.Speech.Audio;

namespace CallWaiting.Speech.Engines.Kokoro;

/// <summary>
/// Word timings for Kokoro's chunks: each text word is paired with a word of the tokens (in order, only when espeak-ng
/// gave as many words as the text has) and starts where the durations of the tokens before it end, when the graph gives
/// durations; otherwise it is estimated at its first token's share of the chunk's samples, since no export without
/// durations says more.
/// </summary>
internal static class KokoroWordTimings
{
    // Marks a clause's tokens may hold that start no word.
    private static readonly string[] Marks = [";", ":", ",", ".", "!", "?", "—", "…", "\"", "(", ")", "“", "”"];

    /// <summary>Per chunk, each word's text and the index of its first token in the padded chunk; null when the words cannot be paired.</summary>
    public static IReadOnlyList<(string Word, int Index)>[]? For(string text, IReadOnlyList<long[]> chunks, IReadOnlyDictionary<string, long> vocab)
    {
        var words = TextWords.Of(text);
        var space = vocab.TryGetValue(" ", out var s) ? s : (long?)null;
        var marks = Marks.Where(vocab.ContainsKey).Select(m => vocab[m]).ToHashSet();
        var starts = chunks.Select(chunk => Starts(chunk, space, marks)).ToArray();
        if (starts.Sum(c => c.Count) != words.Length) return null;
        var next = 0;
        return [.. starts.Select(chunk => (IReadOnlyList<(string, int)>)[.. chunk.Select(index => (words[next++], index))])];
    }

    /// <summary>The chunk's word boundaries in samples: from the tokens' durations in frames, or estimated from the token count.</summary>
    /// <param name="words">The chunk's words and their first tokens' indexes in the padded chunk.</param>
    /// <param name="durations">Each padded token's duration in frames of <see cref="KokoroModel.FrameSamples"/>, or null.</param>
    /// <param name="tokenCount">Tokens in the padded chunk.</param>
    /// <param name="sampleCount">Samples the graph gave for the chunk.</param>
    public static WordBoundary[] Boundaries(IReadOnlyList<(string Word, int Index)> words, float[]? durations, int tokenCount, int sampleCount)
    {
        if (durations is null)
            return [.. words.Select(w => new WordBoundary(w.Word, (long)Math.Round((double)w.Index / tokenCount * sampleCount), 0))];
        var frameStart = new long[durations.Length + 1];
        for (var i = 0; i < durations.Length; i++) frameStart[i + 1] = frameStart[i] + (long)Math.Round(durations[i]);
        return [.. words.Where(w => w.Index < durations.Length)
            .Select(w => new WordBoundary(w.Word, Math.Min(frameStart[w.Index] * KokoroModel.FrameSamples, sampleCount), 0))];
    }

    // The padded index (the leading pad is index 0) of each word's first token: after the start or a space, not a mark.
    private static List<int> Starts(long[] chunk, long? space, HashSet<long> marks)
    {
        var starts = new List<int>();
        var atWordStart = true;
        for (var i = 0; i < chunk.Length; i++)
        {
            if (chunk[i] == space) atWordStart = true;
            else if (atWordStart && !marks.Contains(chunk[i]))
            {
                starts.Add(i + 1);
                atWordStart = false;
            }
        }
        return starts;
    }
}
