using CallWaiting.Speech.Audio;

namespace CallWaiting.Speech.Tests.Engines.Kokoro;

/// <summary>
/// Kokoro's word boundaries, in samples of each chunk: read from the per-token durations of an export that gives them
/// (the generated kokoro-timed graph: (id mod 4) + 1 frames of 600 samples each), else estimated at each word's first
/// padded token's share of the chunk's samples.
/// </summary>
[Collection(KokoroCollection.Name)]
public sealed class KokoroWordTimingTests(KokoroFixture fixture)
{
    [Fact]
    public async Task Without_durations_each_word_starts_at_its_first_tokens_share_of_the_chunk()
    {
        // Speed 0.5: 4 header samples and 17 padded tokens of 8 samples, 140 in all; "Hello" is padded token 1, "world" 9.
        var chunk = Assert.Single(await KokoroKit.SynthesizeAsync(fixture.Engine, KokoroKit.Request(KokoroKit.American, "Hello, world.", 0.5)));
        Assert.Equal(140, chunk.Samples.Length);
        Assert.Equal([new WordBoundary("Hello", 8, 0), new WordBoundary("world", 74, 0)], chunk.Words); // 140/17, 9 × 140/17
    }

    [Fact]
    public async Task Each_sentences_chunk_carries_its_own_words_relative_to_its_start()
    {
        var chunks = await KokoroKit.SynthesizeAsync(fixture.Engine, KokoroKit.Request(KokoroKit.American, "Is it ready? Yes!"));
        Assert.Equal(2, chunks.Count);
        // 14 padded tokens (60 samples): the words at tokens 1, 4 and 7; then 7 padded tokens (32 samples): "Yes" at 1.
        Assert.Equal([new WordBoundary("Is", 4, 0), new WordBoundary("it", 17, 0), new WordBoundary("ready", 30, 0)], chunks[0].Words);
        Assert.Equal([new WordBoundary("Yes", 5, 0)], chunks[1].Words);
    }

    [Fact]
    public async Task With_durations_each_word_starts_where_the_frames_of_the_tokens_before_it_end()
    {
        var (models, _) = KokoroKit.ModelsFolder(KokoroKit.Timed);
        try
        {
            var (engine, report) = await KokoroKit.LoadAsync(models, fixture.Pool);
            await using var _ = engine!;
            Assert.True(Assert.Single(report).Loaded, report[0].Reason);
            var chunk = Assert.Single(await KokoroKit.SynthesizeAsync(engine!, KokoroKit.Request(KokoroKit.American, "Hello, world.")));
            // Padded ids 0 50 83 54 156 57 135 3 16 | 65…: frames 1 3 4 3 1 2 4 4 1, so "world" after 23 frames; an even
            // split of the 40,804 samples would put it at 21,602.
            Assert.Equal(4 + 17 * 2400, chunk.Samples.Length);
            Assert.Equal([new WordBoundary("Hello", 600, 0), new WordBoundary("world", 23 * 600, 0)], chunk.Words);
        }
        finally
        {
            Directory.Delete(models, recursive: true);
        }
    }
}
