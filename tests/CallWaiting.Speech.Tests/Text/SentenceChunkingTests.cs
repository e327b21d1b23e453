using CallWaiting.Speech.Text;

namespace CallWaiting.Speech.Tests.Text;

public sealed class SentenceChunkingTests
{
    private static List<(string Text, bool Ends)> Chunks(string input, int max = 400, string language = "en-US") =>
        TextTestSupport.FrontEnd.Process(input, false, language, max).Segments.OfType<SpokenText>().Select(s => (s.Text, s.EndsSentence)).ToList();

    [Theory]
    [InlineData("Hello there. How are you? Fine!", new[] { "Hello there.", "How are you?", "Fine!" })]
    [InlineData("Pi is 3.14 today. Yes.", new[] { "Pi is three point one four today.", "Yes." })]
    [InlineData("J. R. R. Tolkien wrote it. Then he slept.", new[] { "J. R. R. Tolkien wrote it.", "Then he slept." })]
    [InlineData("Wait... and then. Done", new[] { "Wait... and then.", "Done" })]
    [InlineData("He said \"Stop.\" Then left.", new[] { "He said \"Stop.\"", "Then left." })]
    [InlineData("(See above.) Next one.", new[] { "(See above.)", "Next one." })]
    [InlineData("First line\n\nSecond paragraph", new[] { "First line", "Second paragraph" })]
    [InlineData("Meet at 9 a.m. tomorrow. Bye.", new[] { "Meet at nine A.M. tomorrow.", "Bye." })]
    [InlineData("Bonjour M. Dupont. Ça va?", new[] { "Bonjour M. Dupont.", "Ça va?" })]
    [InlineData("你好。世界！", new[] { "你好。", "世界！" })]
    public void SplitsSentencesRespectingAbbreviationsDecimalsInitialsAndQuotes(string input, string[] expected)
    {
        var chunks = Chunks(input, language: input.StartsWith("Bonjour") ? "fr" : "en-US");

        Assert.Equal(expected, chunks.Select(c => c.Text));
        Assert.True(chunks[^1].Ends);
    }

    [Fact]
    public void Every_sentence_end_is_marked_and_clause_pieces_are_not()
    {
        var chunks = Chunks("This first sentence is long, with a clause, and another clause that keeps going. Short one.", max: 40);

        Assert.All(chunks, c => Assert.True(c.Text.Length <= 40));
        Assert.Equal(new[] { "This first sentence is long, with a", "clause, and another clause that keeps", "going.", "Short one." }.Length, chunks.Count);
        Assert.Equal([false, false, true, true], chunks.Select(c => c.Ends));
    }

    [Fact]
    public void Prefers_clause_boundaries_over_spaces()
    {
        var chunks = Chunks("Alpha beta gamma delta, epsilon zeta eta theta iota kappa.", max: 40);

        Assert.Equal("Alpha beta gamma delta,", chunks[0].Text);
        Assert.Equal("epsilon zeta eta theta iota kappa.", chunks[1].Text);
    }

    [Fact]
    public void Falls_back_to_spaces_and_never_cuts_words_that_fit()
    {
        var words = string.Join(' ', Enumerable.Range(0, 200).Select(i => i % 2 == 0 ? "alpha" : "omega"));

        var chunks = Chunks(words, max: 50);

        Assert.All(chunks, c => Assert.True(c.Text.Length <= 50));
        Assert.All(chunks.SelectMany(c => c.Text.Split(' ')), w => Assert.Contains(w, new[] { "alpha", "omega" }));
        Assert.Equal(200, chunks.Sum(c => c.Text.Split(' ').Length));
    }

    [Fact]
    public void Cuts_a_word_only_when_it_is_longer_than_the_limit()
    {
        var chunks = Chunks("Supercalifragilisticexpialidocious is long.", max: 16);

        Assert.All(chunks, c => Assert.True(c.Text.Length <= 16));
        Assert.Equal("Supercalifragilisticexpialidocious is long.".Replace(" ", ""), string.Concat(chunks.Select(c => c.Text.Replace(" ", ""))));
    }

    [Fact]
    public void Never_splits_surrogate_pairs()
    {
        var text = string.Concat(Enumerable.Repeat("𝒜𝒷𝒸", 40));

        var script = TextTestSupport.FrontEnd.Process(text, false, "en-US", 17);

        TextTestSupport.AssertWellFormed(script, 17);
    }
}
