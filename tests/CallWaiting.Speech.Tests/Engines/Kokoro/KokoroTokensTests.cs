using CallWaiting.Speech.Engines;
using CallWaiting.Speech.Engines.Kokoro;

namespace CallWaiting.Speech.Tests.Engines.Kokoro;

/// <summary>Clauses to Kokoro tokens: marks put back, the vocabulary applied, one chunk per sentence, and the 509-token limit cut at clause, word, then anywhere.</summary>
public sealed class KokoroTokensTests
{
    private static readonly IReadOnlyDictionary<string, long> Vocab =
        KokoroConfig.Parse(File.ReadAllText(KokoroKit.Source("config.json"))).Vocab;

    [Fact]
    public void Clauses_become_the_vocab_ids_with_marks_and_a_space_between_clauses()
    {
        var chunk = Assert.Single(KokoroTokens.Chunks([new("həlˈoʊ", ','), new(" wˈɜːld ", '.')], Vocab, out var unknown));
        Assert.Equal(KokoroKit.HelloWorldUs, chunk);
        Assert.Equal(0, unknown);
        Assert.Equal(KokoroKit.Padded(KokoroKit.HelloWorldUs), KokoroTokens.Padded(chunk));
    }

    [Fact]
    public void Language_marks_are_dropped_and_unknown_symbols_skipped_and_counted()
    {
        var chunk = Assert.Single(KokoroTokens.Chunks([new("(en)hʘə(fr)", '!')], Vocab, out var unknown));
        Assert.Equal([50, 83, 5], chunk);
        Assert.Equal(1, unknown);
    }

    [Fact]
    public void Each_sentence_is_its_own_chunk()
    {
        // `espeak-ng -q --ipa -v en-us "Is it ready? Yes!"`: ɪz ɪt ɹˈɛdi / jˈɛs
        var chunks = KokoroTokens.Chunks([new("ɪz ɪt ɹˈɛdi", '?'), new("jˈɛs", '!')], Vocab, out _);
        Assert.Equal(2, chunks.Count);
        Assert.Equal([102, 68, 16, 102, 62, 16, 123, 156, 86, 46, 51, 6], chunks[0]);
        Assert.Equal([52, 156, 86, 61, 5], chunks[1]);
    }

    [Fact]
    public void A_long_sentence_is_cut_at_clause_boundaries_filling_chunks_to_exactly_509_tokens()
    {
        // Six clauses of 100 'a' and a comma: five with the spaces between them are 5 × 101 + 4 = 509 tokens, the limit.
        var clause = new string('a', 100);
        var clauses = Enumerable.Range(0, 6).Select(i => new PhonemeClause(clause, i < 5 ? ',' : '.')).ToArray();
        var chunks = KokoroTokens.Chunks(clauses, Vocab, out _);
        Assert.Equal(509, KokoroTokens.MaxTokens);
        Assert.Equal([509, 101], chunks.Select(c => c.Length));
        Assert.Equal(3, chunks[0][^1]); // ends with the fifth clause's comma
        Assert.Equal(43, chunks[1][0]); // the sixth starts without a space
        Assert.Equal(4, chunks[1][^1]);

        // One more token in the first clause and five no longer fit: 510 would pass the limit.
        clauses[0] = new PhonemeClause(clause + "a", ',');
        Assert.Equal([408, 203], KokoroTokens.Chunks(clauses, Vocab, out _).Select(c => c.Length));
    }

    [Fact]
    public void A_clause_longer_than_a_chunk_is_cut_between_words_and_a_word_longer_than_a_chunk_anywhere()
    {
        // 300 words "aa": 170 words and their 169 spaces are 509 tokens.
        var words = KokoroTokens.Chunks([new(string.Join(' ', Enumerable.Repeat("aa", 300)), '\0')], Vocab, out _);
        Assert.Equal([509, 389], words.Select(c => c.Length));
        Assert.All(words, c => Assert.True(c[0] != 16 && c[^1] != 16, "a chunk starts or ends with a space"));
        Assert.Equal(600, words.Sum(c => c.Count(t => t == 43)));

        var pieces = KokoroTokens.Chunks([new(new string('a', 1200), '.')], Vocab, out _);
        Assert.Equal([509, 509, 183], pieces.Select(c => c.Length));
        Assert.Equal(4, pieces[^1][^1]);
    }
}
