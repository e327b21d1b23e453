using CallWaiting.Speech.Synthesis;

namespace CallWaiting.Server.Tts;

/// <summary>Helpers for complete word timelines.</summary>
internal static class WordTimings
{
    /// <summary>The words with no end past <paramref name="seconds"/> of audio (an engine's last word may claim a little more than was kept).</summary>
    public static IReadOnlyList<WordTiming> EndBy(List<WordTiming> words, double seconds)
    {
        var end = (long)Math.Round(seconds * 1000);
        for (var i = 0; i < words.Count; i++)
        {
            if (words[i].EndMs > end) words[i] = words[i] with { EndMs = Math.Max(words[i].StartMs, end) };
        }
        return words;
    }
}
