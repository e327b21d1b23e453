using CallWaiting.Server.Cache;
using CallWaiting.Speech.Synthesis;

namespace CallWaiting.Server.Tests.Cache;

/// <summary>The stored form of a cache entry: audio and word timings round-trip, and damaged bytes are refused rather than misread.</summary>
public sealed class AudioCacheEntryTests
{
    private static readonly AudioCacheEntry Entry = new(
        Enumerable.Range(0, 3000).Select(i => (byte)(i * 7)).ToArray(), 16000, 1.875,
        [new WordTiming("Zoë", 0, 310), new WordTiming("naïve", 310, 720), new WordTiming("東京", 720, 1875), new WordTiming("", 1875, 1875)]);

    [Fact]
    public void Audio_rate_seconds_and_words_come_back_exactly()
    {
        var read = AudioCacheEntry.Deserialize(Entry.Serialize());
        Assert.NotNull(read);
        Assert.Equal(Entry.Audio.ToArray(), read.Audio.ToArray());
        Assert.Equal((16000, 1.875), (read.SampleRate, read.AudioSeconds));
        Assert.Equal(Entry.Words, read.Words);
    }

    [Fact]
    public void An_entry_without_words_round_trips()
    {
        var plain = new AudioCacheEntry(new byte[] { 1, 2, 3 }, 8000, 0.001);
        var read = AudioCacheEntry.Deserialize(plain.Serialize());
        Assert.NotNull(read);
        Assert.Equal([1, 2, 3], read.Audio.ToArray());
        Assert.Empty(read.Words);
    }

    [Fact]
    public void A_runaway_word_is_cut_to_the_stored_bound_not_misstored()
    {
        var entry = new AudioCacheEntry(new byte[] { 9 }, 8000, 0.5, [new WordTiming(new string('ü', 5000), 0, 500)]);
        var read = AudioCacheEntry.Deserialize(entry.Serialize());
        Assert.NotNull(read);
        Assert.InRange(read.Words[0].Word.Length, 1, 400);
        Assert.Equal((0, 500), (read.Words[0].StartMs, read.Words[0].EndMs));
    }

    [Fact]
    public void Truncated_extended_or_foreign_bytes_are_not_an_entry()
    {
        var stored = Entry.Serialize();
        foreach (var cut in new[] { 0, 3, 23, 24, 1000, stored.Length - 1 })
            Assert.Null(AudioCacheEntry.Deserialize(stored.AsMemory(0, cut)));
        Assert.Null(AudioCacheEntry.Deserialize(stored.Concat(new byte[] { 0 }).ToArray()));

        var otherMagic = (byte[])stored.Clone();
        otherMagic[3] ^= 0xFF;
        Assert.Null(AudioCacheEntry.Deserialize(otherMagic));

        var hugeWordCount = (byte[])stored.Clone();
        BitConverter.GetBytes(int.MaxValue).CopyTo(hugeWordCount, 20);
        Assert.Null(AudioCacheEntry.Deserialize(hugeWordCount));
    }
}
