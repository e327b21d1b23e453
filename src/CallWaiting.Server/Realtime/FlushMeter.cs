namespace CallWaiting.Server.Realtime;

/// <summary>
/// A session's usage, per flush and in all: each finished (or cleared) utterance is added, a cache hit or a joined
/// rendering apart from synthesized audio since it cost no synthesis; <see cref="Take"/> hands out the flush and starts
/// the next. Used by the synthesis loop only.
/// </summary>
internal sealed class FlushMeter
{
    private long _characters;
    private long _samples;
    private long _cachedCharacters;
    private long _cachedSamples;
    private TimeSpan _synthesis;
    private TimeSpan? _firstAudio;

    /// <summary>Characters of every utterance added so far.</summary>
    public long TotalCharacters { get; private set; }

    /// <summary>Samples of every utterance added so far.</summary>
    public long TotalSamples { get; private set; }

    /// <summary>
    /// An utterance synthesized for this session had its first audio <paramref name="sinceUtteranceStart"/> after it
    /// started; the flush's first audio counts the synthesis time of the flush's earlier utterances too.
    /// </summary>
    public void FirstAudio(TimeSpan sinceUtteranceStart) => _firstAudio ??= _synthesis + sinceUtteranceStart;

    /// <summary>Adds a finished or cleared utterance: its characters, the samples it produced, and its synthesis time unless cached.</summary>
    public void Add(int characters, long samples, bool cached, TimeSpan elapsed)
    {
        TotalCharacters += characters;
        TotalSamples += samples;
        if (cached)
        {
            _cachedCharacters += characters;
            _cachedSamples += samples;
            return;
        }

        _characters += characters;
        _samples += samples;
        _synthesis += elapsed;
    }

    /// <summary>The flush so far; the meter starts the next one.</summary>
    public FlushUsage Take()
    {
        var flush = new FlushUsage(_characters, _samples, _synthesis, _firstAudio, _cachedCharacters, _cachedSamples);
        _characters = _samples = _cachedCharacters = _cachedSamples = 0;
        _synthesis = TimeSpan.Zero;
        _firstAudio = null;
        return flush;
    }
}
