using CallWaiting.Server.Configuration;

namespace CallWaiting.Server.Cache;

/// <summary>The shared audio cache (configuration section <c>Cache</c>, e.g. env <c>CALLWAITING_Cache__MemoryMaxBytes</c>).</summary>
public sealed class AudioCacheOptions : IValidatedOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Cache";

    /// <summary>Whether /v1/tts answers from and fills the cache at all.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Budget of the in-process LRU tier, in bytes (0 turns the tier off).</summary>
    public long MemoryMaxBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>Largest rendering any tier keeps; bigger ones are served but not cached.</summary>
    public long MaxEntryBytes { get; set; } = 4L * 1024 * 1024;

    /// <summary>How long an entry lives in Redis (used when CALLWAITING_REDIS is set).</summary>
    public TimeSpan RedisTimeToLive { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Budget of the disk tier under CALLWAITING_DATA_DIR/cache, in bytes; 0 (the default) turns it off.</summary>
    public long DiskMaxBytes { get; set; }

    /// <summary>
    /// Also cache engines whose output is not bit-for-bit repeatable (espeak-ng: its pitch-flutter phase and noise
    /// differ slightly between runs). True by default: the differences are inaudible, and a hit still returns the exact
    /// bytes of the miss that filled it, so the same request keeps getting the same audio.
    /// </summary>
    public bool IncludeNondeterministicEngines { get; set; } = true;

    /// <summary>Most prompts one POST /v1/cache/prewarm may carry.</summary>
    public int MaxPrewarmPrompts { get; set; } = 100;

    /// <inheritdoc />
    public IEnumerable<string> Problems()
    {
        if (MemoryMaxBytes < 0) yield return "Cache:MemoryMaxBytes must not be negative.";
        if (MaxEntryBytes < 1024) yield return "Cache:MaxEntryBytes must be at least 1024.";
        if (RedisTimeToLive <= TimeSpan.Zero) yield return "Cache:RedisTimeToLive must be positive.";
        if (DiskMaxBytes < 0) yield return "Cache:DiskMaxBytes must not be negative.";
        if (MaxPrewarmPrompts is < 1 or > 1000) yield return "Cache:MaxPrewarmPrompts must be between 1 and 1000.";
    }
}
