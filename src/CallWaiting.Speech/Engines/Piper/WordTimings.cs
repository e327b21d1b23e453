using CallWaiting.Speech.Audio;

namespace CallWaiting.Speech.Engines.Piper;

/// <summary>
/// Word timings from a Piper graph's <c>w_ceil</c>: each text word is paired with a phoneme word (in order, only when
/// espeak-ng gave as many words as the text has), and starts where the durations of the ids before it end.
/// </summary>
internal static class WordTimings
{
    /// <summary>Per sentence, each word's text and the index of its first id; null when the words cannot be paired.</summary>
    public static IReadOnlyList<(string Word, int IdIndex)>[]? For(string text, IReadOnlyList<IReadOnlyList<string>> sentences,
        IReadOnlyDictionary<string, long[]> map)
    {
        var textWords = TextWords.Of(text);
        var starts = sentences.Select(s => PiperPhonemes.WordStarts(s, map)).ToArray();
        if (starts.Sum(s => s.Count) != textWords.Length) return null;
        var next = 0;
        return [.. starts.Select(sentence => (IReadOnlyList<(string, int)>)[.. sentence.Select(index => (textWords[next++], index))])];
    }

    /// <summary>The sentence's word boundaries in samples, from the ids' durations in frames.</summary>
    public static WordBoundary[] Boundaries(IReadOnlyList<(string Word, int IdIndex)> words, float[] durations, int sampleCount)
    {
        var frameStart = new long[durations.Length + 1];
        for (var i = 0; i < durations.Length; i++) frameStart[i + 1] = frameStart[i] + (long)Math.Ceiling(durations[i]);
        return [.. words.Where(w => w.IdIndex < durations.Length)
            .Select(w => new WordBoundary(w.Word, Math.Min(frameStart[w.IdIndex] * PiperModel.HopLength, sampleCount), 0))];
    }
}
