using CallWaiting.Server.Realtime;

namespace CallWaiting.Server.Tests.Realtime;

/// <summary>Cutting streamed text into utterances: as early as a sentence is complete, never inside numbers or abbreviations.</summary>
public sealed class TextSegmenterTests
{
    private static List<string> Feed(TextSegmenter segmenter, params string[] pieces)
    {
        var ready = new List<string>();
        foreach (var piece in pieces) segmenter.Append(piece, ready);
        return ready;
    }

    [Fact]
    public void A_sentence_is_handed_out_as_soon_as_its_end_arrives()
    {
        var segmenter = new TextSegmenter(400, 120);
        Assert.Empty(Feed(segmenter, "Hello", " there"));
        Assert.Equal(["Hello there!"], Feed(segmenter, "!"));
        Assert.Equal(["How are you?"], Feed(segmenter, " How", " are", " you?"));
        Assert.Equal(0, segmenter.Length);
    }

    [Theory]
    [InlineData("It costs 3.", "14 dollars. ", "It costs 3.14 dollars.")]
    [InlineData("Dr.", " Smith will see you. ", "Dr. Smith will see you.")]
    [InlineData("Ask J.", " R. R. Tolkien. ", "Ask J. R. R. Tolkien.")]
    [InlineData("Visit e.g.", " the museum. ", "Visit e.g. the museum.")]
    [InlineData("Wait... what", " happened? ", "Wait... what happened?")]
    public void Periods_inside_numbers_abbreviations_and_initials_do_not_end_a_sentence(string first, string second, string expected)
    {
        var segmenter = new TextSegmenter(400, 120);
        Assert.Empty(Feed(segmenter, first));
        Assert.Equal([expected], Feed(segmenter, second));
    }

    [Fact]
    public void Long_sentences_split_at_clauses_and_text_without_punctuation_at_a_space_within_the_limit()
    {
        var clauses = new TextSegmenter(400, 20);
        Assert.Equal(["This is a rather long clause,"], Feed(clauses, "This is a rather long clause, and it goes on"));

        var unpunctuated = new TextSegmenter(30, 20);
        var words = string.Join(' ', Enumerable.Repeat("word", 40));
        var ready = Feed(unpunctuated, words);
        Assert.All(ready, u => Assert.InRange(u.Length, 1, 30));
        Assert.All(ready, u => Assert.DoesNotContain("wo rd", u, StringComparison.Ordinal));
        Assert.True(unpunctuated.Length < 30);
        Assert.Equal(words, string.Join(' ', ready.Append(unpunctuated.TakeRest()!)));
    }

    [Fact]
    public void Flush_takes_the_rest_and_clear_drops_it()
    {
        var segmenter = new TextSegmenter(400, 120);
        Feed(segmenter, "  no punctuation here  ");
        Assert.Equal("no punctuation here", segmenter.TakeRest());
        Assert.Null(segmenter.TakeRest());
        Feed(segmenter, "dropped");
        segmenter.Clear();
        Assert.Null(segmenter.TakeRest());
    }

    [Fact]
    public void A_surrogate_pair_is_never_split()
    {
        var segmenter = new TextSegmenter(16, 16);
        var ready = Feed(segmenter, "aaaaaaaaaaaaaaa😀😀😀😀😀😀😀😀");
        Assert.All(ready.Append(segmenter.TakeRest() ?? ""), u => Assert.False(u.Length > 0 && char.IsHighSurrogate(u[^1])));
    }
}
