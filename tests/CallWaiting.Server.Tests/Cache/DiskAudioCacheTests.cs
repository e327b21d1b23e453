using CallWaiting.Server.Cache;
using Microsoft.Extensions.Logging.Abstractions;

namespace CallWaiting.Server.Tests.Cache;

/// <summary>The disk tier against a real temporary folder: round trips, reopening, the byte bound and damaged files.</summary>
public sealed class DiskAudioCacheTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("cw-disk-tier-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static AudioCacheKey Key(int i) => new((ulong)i, 7, 7, 7);

    private static AudioCacheEntry Entry(int bytes, int seed) => new(Enumerable.Range(0, bytes).Select(b => (byte)(b * seed)).ToArray(), 22050, seed / 10.0);

    private DiskAudioCache Open(long maxBytes) => new(_root, maxBytes, NullLogger<DiskAudioCache>.Instance);

    [Fact]
    public async Task An_entry_comes_back_byte_for_byte_even_from_a_reopened_folder()
    {
        var entry = Entry(5000, 3);
        Assert.True(await Open(1 << 20).SetAsync(Key(1), entry, CancellationToken.None));

        var reopened = Open(1 << 20);
        Assert.Equal(5000 + 24, reopened.Bytes);
        var read = await reopened.GetAsync(Key(1), CancellationToken.None);
        Assert.NotNull(read);
        Assert.Equal(entry.Audio.ToArray(), read.Audio.ToArray());
        Assert.Equal((22050, 0.3), (read.SampleRate, read.AudioSeconds));
        Assert.Null(await reopened.GetAsync(Key(2), CancellationToken.None));
        Assert.Empty(Directory.GetFiles(_root, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Past_its_budget_the_folder_drops_the_least_recently_used_files()
    {
        var cache = Open(10_000);
        for (var i = 0; i < 3; i++)
        {
            Assert.True(await cache.SetAsync(Key(i), Entry(2976, i + 1), CancellationToken.None));
            File.SetLastWriteTimeUtc(Directory.GetFiles(_root, Key(i) + ".cwa", SearchOption.AllDirectories).Single(), DateTime.UtcNow.AddMinutes(i - 10));
        }
        Assert.NotNull(await cache.GetAsync(Key(0), CancellationToken.None)); // a hit makes 0 the most recent

        Assert.True(await cache.SetAsync(Key(3), Entry(2976, 4), CancellationToken.None));
        Assert.Null(await cache.GetAsync(Key(1), CancellationToken.None));
        foreach (var i in new[] { 0, 2, 3 }) Assert.NotNull(await cache.GetAsync(Key(i), CancellationToken.None));
        Assert.Equal(9000, cache.Bytes);
        Assert.Equal(9000, Directory.GetFiles(_root, "*.cwa", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length));
    }

    [Fact]
    public async Task A_damaged_file_or_an_entry_over_the_budget_is_a_miss_not_an_error()
    {
        var cache = Open(4096);
        Assert.False(await cache.SetAsync(Key(1), Entry(5000, 1), CancellationToken.None));
        Assert.True(await cache.SetAsync(Key(2), Entry(100, 1), CancellationToken.None));
        var path = Directory.GetFiles(_root, "*.cwa", SearchOption.AllDirectories).Single();
        await File.WriteAllBytesAsync(path, [1, 2, 3]);
        Assert.Null(await cache.GetAsync(Key(2), CancellationToken.None));
        Assert.Null(await cache.GetAsync(Key(1), CancellationToken.None));
    }
}
