using CallWaiting.Server.Cache;
using CallWaiting.Speech.Engines;
using Microsoft.Extensions.Logging.Abstractions;
using Prometheus;

namespace CallWaiting.Server.Tests.Cache;

/// <summary>The tier composition over a real disk tier: promotion, the entry size cap, the engine policy and the disabled switch.</summary>
public sealed class AudioCacheTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("cw-audio-cache-").FullName;
    private readonly AudioCacheMetrics _metrics = new(Metrics.WithCustomRegistry(Metrics.NewCustomRegistry()));

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static readonly AudioCacheKey Key = new(1, 2, 3, 4);

    private static AudioCacheEntry Entry(int bytes) => new(new byte[bytes], 8000, 0.5);

    private DiskAudioCache Disk() => new(_root, 1 << 20, NullLogger<DiskAudioCache>.Instance);

    [Fact]
    public async Task A_lower_tier_hit_is_promoted_to_memory_and_served_from_there_next()
    {
        Assert.True(await Disk().SetAsync(Key, Entry(2000), CancellationToken.None));
        var cache = new AudioCache(new AudioCacheOptions(), [Disk()], _metrics);

        Assert.Equal("disk", (await cache.GetAsync(Key, CancellationToken.None))?.Tier);
        var again = cache.GetAsync(Key, CancellationToken.None);
        Assert.True(again.IsCompletedSuccessfully, "a memory hit completes synchronously");
        Assert.Equal("memory", (await again)?.Tier);
        Assert.Equal(1, _metrics.Lookups.WithLabels("disk").Value);
        Assert.Equal(1, _metrics.Lookups.WithLabels("memory").Value);
    }

    [Fact]
    public async Task Stores_reach_every_tier_unless_the_entry_is_over_the_cap_or_the_cache_is_off()
    {
        var cache = new AudioCache(new AudioCacheOptions { MaxEntryBytes = 4096 }, [Disk()], _metrics);
        await cache.StoreAsync(Key, Entry(3000), CancellationToken.None);
        Assert.NotNull(await Disk().GetAsync(Key, CancellationToken.None));
        var big = new AudioCacheKey(9, 9, 9, 9);
        await cache.StoreAsync(big, Entry(5000), CancellationToken.None);
        Assert.Null(await cache.GetAsync(big, CancellationToken.None));
        Assert.Equal(1, _metrics.Misses.Value);

        var off = new AudioCache(new AudioCacheOptions { Enabled = false }, [], _metrics);
        Assert.False(off.Enabled);
        await off.StoreAsync(big, Entry(10), CancellationToken.None);
        Assert.Null(await off.GetAsync(big, CancellationToken.None));
    }

    [Fact]
    public void Nondeterministic_engines_are_cached_only_when_allowed()
    {
        var espeak = new EngineCapabilities(true, true, true, true, false, Deterministic: false, 600);
        var flite = espeak with { Deterministic = true };
        Assert.True(new AudioCache(new AudioCacheOptions(), [], _metrics).Caches(espeak));
        var strict = new AudioCache(new AudioCacheOptions { IncludeNondeterministicEngines = false }, [], _metrics);
        Assert.False(strict.Caches(espeak));
        Assert.True(strict.Caches(flite));
        Assert.False(new AudioCache(new AudioCacheOptions { Enabled = false }, [], _metrics).Caches(flite));
    }
}
