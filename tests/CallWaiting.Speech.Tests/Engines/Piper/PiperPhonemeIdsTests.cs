using System.Text.Json;
using CallWaiting.Speech.Engines.Piper;

namespace CallWaiting.Speech.Tests.Engines.Piper;

/// <summary>
/// Phoneme ids for English sentences, against an independent reference: espeak-ng's command line
/// (<c>espeak-ng -q --ipa -v en-us</c>, one clause per line) with Piper's rules applied outside this code base
/// (each clause's mark put back, ", " ": " "; " with a space, sentences ended by . ? !, NFD code points, ids
/// ^ _ then each phoneme's id and _ , then $), written out below with the phonemes they came from.
/// </summary>
[Collection(PiperCollection.Name)]
public sealed class PiperPhonemeIdsTests(PiperFixture fixture)
{
    public static readonly Dictionary<string, long[][]> Reference = new()
    {
        // həlˈoʊ, wˈɜːld.
        ["Hello, world."] = [[1, 0, 20, 0, 59, 0, 24, 0, 120, 0, 27, 0, 100, 0, 8, 0, 3, 0, 35, 0, 120, 0, 62, 0, 122, 0, 24, 0, 17, 0, 10, 0, 2]],
        // hˌaʊ ɑːɹ juː tədˈeɪ?
        ["How are you today?"] = [[1, 0, 20, 0, 121, 0, 14, 0, 100, 0, 3, 0, 51, 0, 122, 0, 88, 0, 3, 0, 22, 0, 33, 0, 122, 0, 3, 0, 32, 0, 59, 0, 17, 0, 120, 0, 18, 0, 74, 0, 13, 0, 2]],
        // stˈɑːp ɹˈaɪt ðˈɛɹ!
        ["Stop right there!"] = [[1, 0, 31, 0, 32, 0, 120, 0, 51, 0, 122, 0, 28, 0, 3, 0, 88, 0, 120, 0, 14, 0, 74, 0, 32, 0, 3, 0, 41, 0, 120, 0, 61, 0, 88, 0, 4, 0, 2]],
        // jˈɛs, nˈoʊ, mˈeɪbiː.
        ["Yes, no, maybe."] = [[1, 0, 22, 0, 120, 0, 61, 0, 31, 0, 8, 0, 3, 0, 26, 0, 120, 0, 27, 0, 100, 0, 8, 0, 3, 0, 25, 0, 120, 0, 18, 0, 74, 0, 15, 0, 21, 0, 122, 0, 10, 0, 2]],
        // wˈeɪt; aɪ fɚɡˈɑːt sˈʌmθɪŋ: maɪ kˈiːz.
        ["Wait; I forgot something: my keys."] = [[1, 0, 35, 0, 120, 0, 18, 0, 74, 0, 32, 0, 12, 0, 3, 0, 14, 0, 74, 0, 3, 0, 19, 0, 60, 0, 66, 0, 120, 0, 51, 0, 122, 0, 32, 0, 3, 0, 31, 0, 120, 0, 102, 0, 25, 0, 126, 0, 74, 0, 44, 0, 11, 0, 3, 0, 25, 0, 14, 0, 74, 0, 3, 0, 23, 0, 120, 0, 21, 0, 122, 0, 38, 0, 10, 0, 2]],
        // ɪz ðɪs ðə bˈɪlɪŋ dᵻpˈɑːɹtmənt?
        ["Is this the billing department?"] = [[1, 0, 74, 0, 38, 0, 3, 0, 41, 0, 74, 0, 31, 0, 3, 0, 41, 0, 59, 0, 3, 0, 15, 0, 120, 0, 74, 0, 24, 0, 74, 0, 44, 0, 3, 0, 17, 0, 128, 0, 28, 0, 120, 0, 51, 0, 122, 0, 88, 0, 32, 0, 25, 0, 59, 0, 26, 0, 32, 0, 13, 0, 2]],
        // θˈæŋk juː fɔːɹ kˈɔːlɪŋ, plˈiːz hˈoʊld.
        ["Thank you for calling, please hold."] = [[1, 0, 126, 0, 120, 0, 39, 0, 44, 0, 23, 0, 3, 0, 22, 0, 33, 0, 122, 0, 3, 0, 19, 0, 54, 0, 122, 0, 88, 0, 3, 0, 23, 0, 120, 0, 54, 0, 122, 0, 24, 0, 74, 0, 44, 0, 8, 0, 3, 0, 28, 0, 24, 0, 120, 0, 21, 0, 122, 0, 38, 0, 3, 0, 20, 0, 120, 0, 27, 0, 100, 0, 24, 0, 17, 0, 10, 0, 2]],
        // ðə kwˈɪk bɹˈaʊn fˈɑːks dʒˈʌmps ˌoʊvɚ ðə lˈeɪzi dˈɑːɡ.
        ["The quick brown fox jumps over the lazy dog."] = [[1, 0, 41, 0, 59, 0, 3, 0, 23, 0, 35, 0, 120, 0, 74, 0, 23, 0, 3, 0, 15, 0, 88, 0, 120, 0, 14, 0, 100, 0, 26, 0, 3, 0, 19, 0, 120, 0, 51, 0, 122, 0, 23, 0, 31, 0, 3, 0, 17, 0, 108, 0, 120, 0, 102, 0, 25, 0, 28, 0, 31, 0, 3, 0, 121, 0, 27, 0, 100, 0, 34, 0, 60, 0, 3, 0, 41, 0, 59, 0, 3, 0, 24, 0, 120, 0, 18, 0, 74, 0, 38, 0, 21, 0, 3, 0, 17, 0, 120, 0, 51, 0, 122, 0, 66, 0, 10, 0, 2]],
        // ɹˈiəli? | aɪ hæd nˈoʊ aɪdˈiə!
        ["Really? I had no idea!"] = [[1, 0, 88, 0, 120, 0, 21, 0, 59, 0, 24, 0, 21, 0, 13, 0, 2], [1, 0, 14, 0, 74, 0, 3, 0, 20, 0, 39, 0, 17, 0, 3, 0, 26, 0, 120, 0, 27, 0, 100, 0, 3, 0, 14, 0, 74, 0, 17, 0, 120, 0, 21, 0, 59, 0, 4, 0, 2]],
        // pɹˈɛs wˈʌn fɔːɹ sˈeɪlz, tˈuː fɔːɹ səpˈoːɹt.
        ["Press one for sales, two for support."] = [[1, 0, 28, 0, 88, 0, 120, 0, 61, 0, 31, 0, 3, 0, 35, 0, 120, 0, 102, 0, 26, 0, 3, 0, 19, 0, 54, 0, 122, 0, 88, 0, 3, 0, 31, 0, 120, 0, 18, 0, 74, 0, 24, 0, 38, 0, 8, 0, 3, 0, 32, 0, 120, 0, 33, 0, 122, 0, 3, 0, 19, 0, 54, 0, 122, 0, 88, 0, 3, 0, 31, 0, 59, 0, 28, 0, 120, 0, 27, 0, 122, 0, 88, 0, 32, 0, 10, 0, 2]],
        // jʊɹ kˈɔːl ɪz ɪmpˈoːɹtənt tʊ ˌʌs
        ["Your call is important to us"] = [[1, 0, 22, 0, 100, 0, 88, 0, 3, 0, 23, 0, 120, 0, 54, 0, 122, 0, 24, 0, 3, 0, 74, 0, 38, 0, 3, 0, 74, 0, 25, 0, 28, 0, 120, 0, 27, 0, 122, 0, 88, 0, 32, 0, 59, 0, 26, 0, 32, 0, 3, 0, 32, 0, 100, 0, 3, 0, 121, 0, 102, 0, 31, 0, 2]],
        // ɡˈʊd mˈɔːɹnɪŋ! | hˌaʊ kæn aɪ hˈɛlp juː, sˌɜː?
        // The command line prints "sˈɜː"; the library call Piper makes (espeak_TextToPhonemes, checked from Python's ctypes)
        // gives this one-word final clause secondary stress, "sˌɜː" (121, not 120): the reference follows the library.
        ["Good morning! How can I help you, sir?"] = [[1, 0, 66, 0, 120, 0, 100, 0, 17, 0, 3, 0, 25, 0, 120, 0, 54, 0, 122, 0, 88, 0, 26, 0, 74, 0, 44, 0, 4, 0, 2], [1, 0, 20, 0, 121, 0, 14, 0, 100, 0, 3, 0, 23, 0, 39, 0, 26, 0, 3, 0, 14, 0, 74, 0, 3, 0, 20, 0, 120, 0, 61, 0, 24, 0, 28, 0, 3, 0, 22, 0, 33, 0, 122, 0, 8, 0, 3, 0, 31, 0, 121, 0, 62, 0, 122, 0, 13, 0, 2]],
    };

    public static TheoryData<string> Sentences => [.. Reference.Keys];

    private static readonly Dictionary<string, long[]> Map = JsonDocument.Parse(File.ReadAllText(PiperKit.Source(PiperKit.Reveal + ".onnx.json")))
        .RootElement.GetProperty("phoneme_id_map").EnumerateObject()
        .ToDictionary(p => p.Name, p => p.Value.EnumerateArray().Select(v => v.GetInt64()).ToArray());

    [Theory]
    [MemberData(nameof(Sentences))]
    public async Task Espeak_clauses_through_Pipers_rules_give_the_reference_ids(string text)
    {
        var clauses = await fixture.Pool.PhonemizeAsync("en-us", text, continuation: false, CancellationToken.None);
        var ids = PiperPhonemes.Sentences(clauses).Select(s => PiperPhonemes.ToIds(s, Map, out var unknown)).ToArray();
        Assert.Equal(Reference[text], ids);
    }

    [Theory]
    [MemberData(nameof(Sentences))]
    public async Task The_graph_receives_exactly_those_ids_one_call_per_sentence(string text)
    {
        var chunks = await PiperKit.SynthesizeAsync(fixture.Engine, PiperKit.Request("piper-en-us-reveal-medium", text));
        var revealed = chunks.Select(c => PiperKit.Read(c.Samples, multiSpeaker: false)).ToArray();
        Assert.Equal(Reference[text], revealed.Select(r => r.Ids).ToArray());
        Assert.All(revealed, r => Assert.Equal(r.Ids.Length, r.InputLength));
    }

    [Fact]
    public void Language_switch_marks_are_dropped_and_marks_put_back_as_Piper_does()
    {
        var sentences = PiperPhonemes.Sentences([new("(en)hˈɛloʊ(fr) mɔ̃d", ','), new("ok", '\0'), new("ja", '!'), new("naɪn", '\0')]);
        Assert.Equal(["hˈɛloʊ mɔ̃d, okja!", "naɪn"], sentences.Select(s => string.Concat(s).Normalize()).ToArray());
        // NFD: the nasal vowel is two code points, as Piper's map has them.
        Assert.Contains("\u0303", sentences[0]);
    }

    [Fact]
    public void Unknown_phonemes_are_skipped_and_counted()
    {
        var ids = PiperPhonemes.ToIds(["a", "☃", "b", "☃"], Map, out var unknown);
        Assert.Equal(new long[] { 1, 0, 14, 0, 15, 0, 2 }, ids);
        Assert.Equal(2, unknown);
    }
}
