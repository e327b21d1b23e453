namespace CallWaiting.Speech.Tests.Engines.Kokoro;

/// <summary>
/// A stream's long first sentence (over Onnx:FirstSentenceCut, 100 tokens by default) is spoken as its first clause,
/// then the rest, each with the style row of its own length, read back from the revealing graph: together they carry
/// every token of the uncut sentence but the space at the cut; short sentences and later sentences are untouched.
/// </summary>
[Collection(KokoroCollection.Name)]
public sealed class KokoroFirstSentenceCutTests(KokoroFixture fixture)
{
    private const string Long = "Thank you for calling the customer support line of our company, your call is important to us and we answer it soon.";

    // Kokoro's vocabulary: space 16, comma 3, full stop 4.
    private const long Space = 16, Comma = 3, Stop = 4;

    [Fact]
    public async Task A_long_first_sentence_is_its_first_clause_then_the_rest()
    {
        var cut = await ReadAsync(Long, continuation: false);
        var whole = Assert.Single(await ReadAsync(Long, continuation: true));

        Assert.Equal(2, cut.Count);
        Assert.Equal(Comma, cut[0].Ids[^2]);
        Assert.Equal(Stop, cut[1].Ids[^2]);
        long[] joined = [.. cut[0].Ids[1..^1], Space, .. cut[1].Ids[1..^1]];
        Assert.Equal(whole.Ids[1..^1], joined);
        Assert.All(cut, c => Assert.Equal(c.Ids.Length - 2, c.StyleRow));
    }

    [Theory]
    [InlineData("Hello, world.")]
    [InlineData("Yes. Thank you for calling the customer support line of our company, your call is important to us and we answer it soon.")]
    public async Task A_short_first_sentence_is_one_chunk_and_a_later_long_one_is_not_cut(string text)
    {
        var chunks = await ReadAsync(text, continuation: false);
        Assert.Equal(text.StartsWith("Yes", StringComparison.Ordinal) ? 2 : 1, chunks.Count);
        Assert.Single(chunks[^1].Ids, id => id == Comma);
    }

    private async Task<List<KokoroKit.Revealed>> ReadAsync(string text, bool continuation) =>
        [.. (await KokoroKit.SynthesizeAsync(fixture.Engine, KokoroKit.Request(KokoroKit.American, text) with { Continuation = continuation }))
            .Select(c => KokoroKit.Read(c.Samples))];
}
