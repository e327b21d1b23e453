namespace CallWaiting.Server.Realtime;

/// <summary>What one flush produced: synthesized audio and audio from the cache, metered as separate usage events.</summary>
/// <param name="Characters">Characters synthesized for this session.</param>
/// <param name="Samples">Samples synthesized for this session.</param>
/// <param name="Synthesis">Time spent synthesizing them.</param>
/// <param name="FirstAudio">Time to the flush's first synthesized audio, when any was synthesized.</param>
/// <param name="CachedCharacters">Characters served from the cache or a joined rendering.</param>
/// <param name="CachedSamples">Samples served from the cache or a joined rendering.</param>
internal readonly record struct FlushUsage(long Characters, long Samples, TimeSpan Synthesis, TimeSpan? FirstAudio, long CachedCharacters, long CachedSamples)
{
    /// <summary>Characters in all, as flush_done reports them.</summary>
    public long TotalCharacters => Characters + CachedCharacters;

    /// <summary>Samples in all, as flush_done reports them.</summary>
    public long TotalSamples => Samples + CachedSamples;
}
