namespace CallWaiting.Speech.Tests.Engines.Piper;

/// <summary>
/// A stream's long first sentence (over Onnx:FirstSentenceCut, 100 phoneme symbols by default) is spoken in two graph
/// calls cut after its first clause mark, read back from the revealing graph: the first ends with the comma and its
/// space, and the two together carry every id of the uncut sentence; short sentences, later sentences of a stream and
/// sentences without a clause mark are untouched.
/// </summary>
[Collection(PiperCollection.Name)]
public sealed class PiperFirstSentenceCutTests(PiperFixture fixture)
{
    private const string Voice = "piper-en-us-reveal-medium";

    // About 130 phoneme symbols, its first clause about 60.
    private const string Long = "Thank you for calling the customer support line of our company, your call is important to us and we answer it soon.";

    // Piper's default map: PAD 0, BOS 1, EOS 2, space 3, comma 8.
    private const long Pad = 0, Eos = 2, Space = 3, Comma = 8;

    [Fact]
    public async Task A_long_first_sentence_is_cut_after_its_first_comma_and_keeps_every_id()
    {
        var cut = await IdsAsync(Long, continuation: false);
        var whole = Assert.Single(await IdsAsync(Long, continuation: true));

        Assert.Equal(2, cut.Count);
        Assert.Equal([Comma, Pad, Space, Pad, Eos], cut[0][^5..]);
        // BOS PAD p1 PAD … pj PAD EOS, then BOS PAD pj+1 … EOS: the uncut ids without the cut's EOS, BOS and PAD.
        long[] joined = [.. cut[0][..^1], .. cut[1][2..]];
        Assert.Equal(whole, joined);
    }

    [Theory]
    [InlineData("Hello, world.")]
    [InlineData("Thank you for calling the customer support line of our company and your call is important to us as we answer it soon.")]
    public async Task A_short_first_sentence_or_one_without_a_clause_mark_is_one_graph_call(string text)
    {
        Assert.Single(await IdsAsync(text, continuation: false));
    }

    [Fact]
    public async Task Only_the_first_sentence_is_cut()
    {
        // "Yes." is the first sentence (short: one call); the long one comes second and is one call, its comma inside.
        var ids = await IdsAsync("Yes. " + Long, continuation: false);
        Assert.Equal(2, ids.Count);
        Assert.Single(ids[1], id => id == Comma);
        Assert.Equal([Pad, Eos], ids[1][^2..]);
    }

    private async Task<List<long[]>> IdsAsync(string text, bool continuation)
    {
        var chunks = await PiperKit.SynthesizeAsync(fixture.Engine, PiperKit.Request(Voice, text) with { Continuation = continuation });
        return [.. chunks.Select(c => PiperKit.Read(c.Samples, false).Ids)];
    }
}
