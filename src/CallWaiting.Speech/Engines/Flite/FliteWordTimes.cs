using System.Runtime.InteropServices;

namespace CallWaiting.Speech.Engines.Flite;

/// <summary>Word start and end times read from a synthesized flite utterance's Word and Segment relations.</summary>
internal static unsafe class FliteWordTimes
{
    /// <summary>One word and where it lies in the utterance's audio.</summary>
    public readonly record struct WordSpan(string Word, long Start, long End);

    /// <summary>
    /// Reads every word of <paramref name="utterance"/> with sample positions at <paramref name="sampleRate"/>.
    /// Called from the streaming callback, after the duration models have run and before any audio is handed out.
    /// </summary>
    public static WordSpan[] Read(nint utterance, int sampleRate)
    {
        if (utterance == 0) return [];
        var relation = FliteNative.UttRelation(utterance, FliteNames.WordRelation);
        if (relation == 0) return [];
        var words = new List<WordSpan>();
        long previousStart = 0;
        for (var item = FliteNative.RelationHead(relation); item != 0; item = FliteNative.ItemNext(item))
        {
            var name = Marshal.PtrToStringUTF8((nint)FliteNative.GetParamString(FliteNative.ItemFeats(item), FliteNames.Name, FliteNames.Empty));
            if (string.IsNullOrEmpty(name)) continue;
            // The start is the end of the segment before the word's first one (a pause or the previous word).
            var start = Math.Max(previousStart, ToSamples(FliteNative.FfeatureFloat(item, FliteNames.WordStart), sampleRate));
            var end = Math.Max(start, ToSamples(FliteNative.FfeatureFloat(item, FliteNames.WordEnd), sampleRate));
            words.Add(new WordSpan(name, start, end));
            previousStart = start;
        }
        return [.. words];
    }

    private static long ToSamples(float seconds, int sampleRate) =>
        float.IsFinite(seconds) && seconds > 0 ? (long)Math.Round(seconds * (double)sampleRate) : 0;
}
