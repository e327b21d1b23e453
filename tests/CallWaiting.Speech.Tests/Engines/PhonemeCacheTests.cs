using CallWaiting.Speech.Engines;
using CallWaiting.Speech.Workers;

namespace CallWaiting.Speech.Tests.Engines;

/// <summary>
/// The phoneme cache in front of a real espeak-ng worker: a repeated text is answered with the worker's own clauses
/// without a round trip, the voice is part of the key, the least recently used text goes first, and 0 caches nothing.
/// </summary>
public sealed class PhonemeCacheTests : IAsyncLifetime
{
    private EngineWorkerPool _pool = null!;

    public async Task InitializeAsync() => _pool = await EngineWorkerPool.StartAsync(new EngineWorkerPoolOptions { WorkerCount = 1 });

    public async Task DisposeAsync() => await _pool.DisposeAsync();

    [Fact]
    public async Task A_repeated_text_is_the_workers_answer_without_asking_it_again()
    {
        var cache = new PhonemeCache(_pool, 8);
        var first = await cache.PhonemizeAsync("en-us", "Hello, world.", false, CancellationToken.None);
        var again = await cache.PhonemizeAsync("en-us", "Hello, world.", false, CancellationToken.None);
        var british = await cache.PhonemizeAsync("en-gb", "Hello, world.", false, CancellationToken.None);

        Assert.Equal(await _pool.PhonemizeAsync("en-us", "Hello, world.", false, CancellationToken.None), first);
        Assert.Same(first, again);
        Assert.NotEqual(first, british); // həlˈoʊ against həlˈəʊ: the voice is part of the key
        Assert.Equal((1L, 2L, 2), (cache.Hits, cache.Misses, cache.Count));
    }

    [Fact]
    public async Task The_least_recently_used_text_goes_first()
    {
        var cache = new PhonemeCache(_pool, 2);
        foreach (var text in new[] { "One.", "Two.", "One.", "Three.", "Two.", "One." })
            await cache.PhonemizeAsync("en-us", text, false, CancellationToken.None);
        // One, Two (misses), One (hit), Three (evicts Two), Two (miss, evicts One), One (miss).
        Assert.Equal((1L, 5L, 2), (cache.Hits, cache.Misses, cache.Count));
    }

    [Fact]
    public async Task Capacity_zero_asks_the_worker_every_time()
    {
        var cache = new PhonemeCache(_pool, 0);
        for (var i = 0; i < 3; i++) Assert.NotEmpty(await cache.PhonemizeAsync("en-us", "Hello.", false, CancellationToken.None));
        Assert.Equal((0L, 3L, 0), (cache.Hits, cache.Misses, cache.Count));
    }
}
