using CallWaiting.Speech.Audio;

namespace CallWaiting.Speech.Synthesis;

/// <summary>
/// Turns the chunk-relative word boundaries of a stream into absolute word timings. Engines that give no word length
/// (espeak-ng) leave a word open until the next one starts or the audio ends, so a word is released once its end is known.
/// </summary>
/// <param name="sampleRate">Samples per second of the chunks as timed; a later tempo stage scales it (rate × tempo).</param>
internal sealed class WordTimeline(double sampleRate)
{
    private readonly List<(string Word, long Start)> _open = [];
    private long _position;

    /// <summary>Samples seen so far.</summary>
    public long Samples => _position;

    /// <summary>Duration seen so far in milliseconds.</summary>
    public long DurationMs => ToMs(_position);

    /// <summary>Accounts for a chunk; appends the words whose timing is now complete to <paramref name="done"/>.</summary>
    public void Add(AudioChunk chunk, List<WordTiming> done)
    {
        foreach (var word in chunk.Words)
        {
            var start = _position + word.SampleOffset;
            Close(start, done);
            if (word.SampleLength > 0) done.Add(new WordTiming(word.Word, ToMs(start), ToMs(start + word.SampleLength)));
            else _open.Add((word.Word, start));
        }
        _position += chunk.Samples.Length;
    }

    /// <summary>Ends the stream: open words end with the audio, and no word ends after it.</summary>
    public void Finish(List<WordTiming> done)
    {
        Close(_position, done);
        var end = DurationMs;
        for (var i = 0; i < done.Count; i++)
        {
            if (done[i].EndMs > end) done[i] = done[i] with { EndMs = Math.Max(done[i].StartMs, end) };
        }
    }

    private void Close(long at, List<WordTiming> done)
    {
        foreach (var (word, start) in _open) done.Add(new WordTiming(word, ToMs(start), ToMs(Math.Max(start, at))));
        _open.Clear();
    }

    private long ToMs(long samples) => (long)Math.Round(samples * 1000.0 / sampleRate);
}
