namespace CallWaiting.Speech.Text;

/// <summary>What the front end made of a request: the ordered chunks and pauses an engine will speak.</summary>
/// <param name="Segments">Spoken chunks and pauses, in order.</param>
public sealed record SpeechScript(IReadOnlyList<SpeechSegment> Segments)
{
    /// <summary>Characters of normalized text across every spoken chunk (what the engines are asked to say).</summary>
    public int SpokenCharacters { get; } = Count(Segments);

    private static int Count(IReadOnlyList<SpeechSegment> segments)
    {
        var total = 0;
        foreach (var segment in segments)
        {
            if (segment is SpokenText spoken)
            {
                total += spoken.Text.Length;
            }
        }

        return total;
    }
}
