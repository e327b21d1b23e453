namespace CallWaiting.Server.Realtime;

/// <summary>
/// Input segmentation: turns the client's text, flush and close messages into entries of the utterance queue. Text is
/// cut into utterances as soon as each is complete (<see cref="TextSegmenter"/>); a flush hands out what is buffered and
/// then a <see cref="FlushMarker"/>; close hands out what is buffered; a barge-in drops it. Utterances are numbered
/// 1, 2, 3… across the session. Used by the reader only.
/// </summary>
internal sealed class InputSegmenter(int maxUtteranceChars, int clauseSplitChars)
{
    private readonly TextSegmenter _segmenter = new(maxUtteranceChars, clauseSplitChars);
    private readonly List<string> _ready = [];
    private int _sequence;

    /// <summary>Characters buffered that are not an utterance yet.</summary>
    public int Buffered => _segmenter.Length;

    /// <summary>More text: the utterances it completed, tagged with <paramref name="generation"/>.</summary>
    public List<SynthesisWork> Text(string text, long generation)
    {
        _segmenter.Append(text, _ready);
        var work = new List<SynthesisWork>(_ready.Count);
        foreach (var utterance in _ready) work.Add(new Utterance(generation, ++_sequence, utterance));
        _ready.Clear();
        return work;
    }

    /// <summary>A flush: the buffered rest as an utterance (when there is one), then the flush marker.</summary>
    public List<SynthesisWork> Flush(long generation)
    {
        var work = Close(generation);
        work.Add(new FlushMarker(generation));
        return work;
    }

    /// <summary>The end of input: the buffered rest as an utterance, when there is one.</summary>
    public List<SynthesisWork> Close(long generation) =>
        _segmenter.TakeRest() is { } rest ? [new Utterance(generation, ++_sequence, rest)] : [];

    /// <summary>Barge-in: drops the buffered text.</summary>
    public void Clear() => _segmenter.Clear();
}
