using CallWaiting.Server.Cache;

namespace CallWaiting.Server.Tests.Cache;

/// <summary>The in-process LRU tier: byte budget, recency and replacement.</summary>
public sealed class MemoryAudioCacheTests
{
    private static AudioCacheKey Key(int i) => new((ulong)i, 0, 0, 0);

    private static AudioCacheEntry Entry(int bytes, byte fill = 1) => new(Enumerable.Repeat(fill, bytes).ToArray(), 8000, 1);

    [Fact]
    public void The_least_recently_used_entry_goes_first_once_the_budget_is_exceeded()
    {
        var one = Entry(1000);
        var cache = new MemoryAudioCache(3 * one.Size);
        for (var i = 1; i <= 3; i++) cache.Set(Key(i), Entry(1000, (byte)i));
        Assert.True(cache.TryGet(Key(1), out _)); // 2 is now the least recently used

        cache.Set(Key(4), Entry(1000, 4));
        Assert.False(cache.TryGet(Key(2), out _));
        foreach (var i in new[] { 1, 3, 4 })
        {
            Assert.True(cache.TryGet(Key(i), out var entry));
            Assert.All(entry.Audio.ToArray(), b => Assert.Equal((byte)i, b));
        }
        Assert.Equal(3 * one.Size, cache.Bytes);
        Assert.Equal(3, cache.Count);
    }

    [Fact]
    public void Replacing_an_entry_keeps_the_byte_count_exact_and_an_oversized_entry_is_skipped()
    {
        var cache = new MemoryAudioCache(10_000);
        cache.Set(Key(1), Entry(1000));
        cache.Set(Key(1), Entry(3000));
        Assert.Equal(Entry(3000).Size, cache.Bytes);
        Assert.Equal(1, cache.Count);

        cache.Set(Key(2), Entry(20_000));
        Assert.False(cache.TryGet(Key(2), out _));
        Assert.True(cache.TryGet(Key(1), out var kept));
        Assert.Equal(3000, kept.Audio.Length);
    }

    [Fact]
    public void One_big_entry_evicts_as_many_small_ones_as_it_needs()
    {
        var cache = new MemoryAudioCache(Entry(4000).Size);
        for (var i = 0; i < 3; i++) cache.Set(Key(i), Entry(1000));
        cache.Set(Key(9), Entry(4000));
        Assert.Equal(1, cache.Count);
        Assert.True(cache.TryGet(Key(9), out _));
    }
}
