using Prometheus;

namespace CallWaiting.Server.Cache;

/// <summary>Prometheus instruments of the audio cache: lookups by the tier that answered (or "miss"), stores by tier, memory held, coalesced requests.</summary>
public sealed class AudioCacheMetrics
{
    /// <summary>Registers (or reuses) the instruments in <paramref name="factory"/>'s registry; the default registry when null.</summary>
    public AudioCacheMetrics(IMetricFactory? factory = null)
    {
        factory ??= Metrics.DefaultFactory;
        Lookups = factory.CreateCounter("tts_cache_lookups_total", "Audio cache lookups, by the tier that answered (memory, redis, disk) or miss.", ["result"]);
        Stores = factory.CreateCounter("tts_cache_stores_total", "Renderings written to an audio cache tier, by tier.", ["tier"]);
        MemoryBytes = factory.CreateGauge("tts_cache_memory_bytes", "Bytes held by the in-process audio cache.");
        Coalesced = factory.CreateCounter("tts_cache_coalesced_total", "Requests that joined an identical rendering already in progress instead of synthesizing again.");
        MemoryHits = Lookups.WithLabels("memory");
        Misses = Lookups.WithLabels("miss");
    }

    /// <summary>Lookups so far by result (memory, redis, disk, miss), the values tts_cache_lookups_total exports.</summary>
    public IReadOnlyDictionary<string, long> LookupCounts() =>
        Lookups.GetAllLabelValues().ToDictionary(labels => labels[0], labels => (long)Lookups.WithLabels(labels).Value, StringComparer.Ordinal);

    /// <summary>tts_cache_lookups_total{result}.</summary>
    public Counter Lookups { get; }

    /// <summary>tts_cache_stores_total{tier}.</summary>
    public Counter Stores { get; }

    /// <summary>tts_cache_memory_bytes.</summary>
    public Gauge MemoryBytes { get; }

    /// <summary>tts_cache_coalesced_total.</summary>
    public Counter Coalesced { get; }

    /// <summary>The memory-hit child, bound once so the hot path does no label lookup.</summary>
    public Counter.Child MemoryHits { get; }

    /// <summary>The miss child.</summary>
    public Counter.Child Misses { get; }
}
