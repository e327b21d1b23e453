using CallWaiting.Speech.Text;

namespace CallWaiting.Speech.Tests.Text;

public sealed class BadInputTests
{
    private static TextInputException Rejects(string input, bool ssml = false, TextFrontEndOptions? options = null) =>
        Assert.Throws<TextInputException>(() => new TextFrontEnd(options ?? new TextFrontEndOptions()).Process(input, ssml, "en-US", 200));

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\n\t\r\n ")]
    public void Empty_or_whitespace_is_rejected(string input) => Assert.Equal("Text is empty", Rejects(input).Message);

    [Theory]
    [InlineData("😀👍🏽🇺🇸")]
    [InlineData("\0\0\u0001\u200B")]
    [InlineData("\uFFFD\uFFFD")]
    [InlineData("<speak> <break time=\"1s\"/> </speak>")]
    public void NothingSpeakableIsRejected(string input) => Assert.Contains("nothing to speak", Rejects(input).Message);

    [Fact]
    public void Only_broken_surrogates_is_rejected() => Assert.Contains("nothing to speak", Rejects("\uDC00\uD800\uDBFF").Message);

    [Fact]
    public void Input_at_the_limit_works_and_one_more_character_is_rejected()
    {
        var sentence = "The quick brown fox paid $3.50 at 9:30 AM on 12/03/2025. ";
        var text = string.Concat(Enumerable.Repeat(sentence, 100_000 / sentence.Length + 1))[..100_000];

        var script = TextTestSupport.FrontEnd.Process(text, false, "en-US", 250);

        TextTestSupport.AssertWellFormed(script, 250);
        Assert.Contains("Text is 100001 characters long; the limit is 100000", Rejects(text + "x").Message);
    }

    [Fact]
    public void Twenty_thousand_digits_are_read_in_groups()
    {
        var digits = string.Concat(Enumerable.Range(0, 20_000).Select(i => (char)('0' + i % 10)));

        var script = TextTestSupport.FrontEnd.Process(digits, false, "en-US", 200);

        TextTestSupport.AssertWellFormed(script, 200);
        var words = TextTestSupport.Join(script).Split([' ', ','], StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(20_000, words.Length);
        Assert.Equal(["zero", "one", "two", "three"], words[..4]);
    }

    [Fact]
    public void Twenty_thousand_digits_in_an_unsupported_language_are_grouped()
    {
        var script = TextTestSupport.FrontEnd.Process(new string('4', 20_000), false, "xx-Unknown", 200);

        TextTestSupport.AssertWellFormed(script, 200);
        Assert.Equal(20_000, TextTestSupport.Join(script).Count(char.IsAsciiDigit));
    }

    [Fact]
    public void A_random_five_thousand_letter_token_is_spelled_in_groups()
    {
        var random = new Random(7);
        var token = string.Concat(Enumerable.Range(0, 5_000).Select(_ => (char)('a' + random.Next(26))));

        var script = TextTestSupport.FrontEnd.Process(token, false, "en-US", 200);

        TextTestSupport.AssertWellFormed(script, 200);
        Assert.Equal(token, string.Concat(TextTestSupport.Join(script).Where(char.IsAsciiLetter)));
        Assert.All(script.Segments.OfType<SpokenText>().SelectMany(s => s.Text.Split(' ')), t => Assert.True(t.TrimEnd(',').Length == 1));
    }

    [Fact]
    public void A_pronounceable_five_thousand_letter_token_is_cut_into_pieces()
    {
        var token = string.Concat(Enumerable.Repeat("banana", 834))[..5_000];

        var script = TextTestSupport.FrontEnd.Process(token, false, "en-US", 200);

        TextTestSupport.AssertWellFormed(script, 200);
        var pieces = TextTestSupport.Join(script).Split(' ');
        Assert.All(pieces, p => Assert.InRange(p.Length, 1, 24));
        Assert.Equal(token, string.Concat(pieces));
    }

    [Fact]
    public void Right_to_left_text_passes_through()
    {
        Assert.Equal("مرحبا بالعالم.", TextTestSupport.Speak("مرحبا بالعالم.", "ar"));
        Assert.Equal("שלום עולם", TextTestSupport.Speak("שלום \u200Fעולם", "he-IL"));
    }

    [Fact]
    public void Control_characters_nul_and_broken_surrogates_are_removed()
    {
        var text = TextTestSupport.Speak("He\0llo\u0007 wo\uD83Drld\uDE00 \u001B\u0085red\u0000");

        Assert.Equal("Hello world red", text);
    }

    [Theory]
    [InlineData("zz")]
    [InlineData("x-klingon")]
    [InlineData("")]
    [InlineData("!!not a tag!!")]
    [InlineData("eng")]
    public void UnsupportedLanguagesGetOnlyTheNeutralSteps(string language)
    {
        var script = TextTestSupport.FrontEnd.Process("Pay $5 at 9:30 😀.", false, language, 200);

        Assert.Equal("Pay $5 at 9:30 .", TextTestSupport.Join(script));
    }

    [Fact]
    public void Deep_nesting_is_rejected_with_its_position()
    {
        var deep = "<speak>" + string.Concat(Enumerable.Repeat("<s>", 40)) + "x" + string.Concat(Enumerable.Repeat("</s>", 40)) + "</speak>";

        var error = Rejects(deep);

        Assert.Equal("SSML: elements are nested more than 32 deep on line 1, position 102", error.Message);
    }

    [Fact]
    public void Too_many_elements_are_rejected()
    {
        var many = "<speak>" + string.Concat(Enumerable.Repeat("<mark/>", 20)) + "x</speak>";

        var error = Rejects(many, options: new TextFrontEndOptions { MaxSsmlElements = 10 });

        Assert.StartsWith("SSML: more than 10 elements", error.Message);
    }

    [Fact]
    public void Breaks_adding_up_past_the_total_are_rejected()
    {
        var ssml = "<speak>" + string.Concat(Enumerable.Repeat("a<break time=\"10s\"/>", 7)) + "</speak>";

        Assert.StartsWith("SSML: breaks add up to more than 60 seconds", Rejects(ssml).Message);
    }

    [Theory]
    [InlineData("<speak>Hello</p></speak>", "SSML: unexpected end tag </p> on line 1, position 15")]
    [InlineData("<speak>Hello <s>world</speak>", "SSML: unexpected end tag </speak> on line 1, position 24")]
    [InlineData("<speak>Hello", "SSML: unclosed element(s) speak")]
    [InlineData("<speak><break time=\"soon\"/>x</speak>", "SSML: invalid <break> time 'soon' on line 1, position 9")]
    [InlineData("<speak><break strength=\"loud\"/>x</speak>", "SSML: invalid <break> strength 'loud' on line 1, position 9")]
    [InlineData("<speak><prosody rate=\"warp\">x</prosody></speak>", "SSML: invalid <prosody> rate 'warp' on line 1, position 9")]
    [InlineData("<speak><prosody volume=\"-200%\">x</prosody></speak>", "SSML: invalid <prosody> volume '-200%' on line 1, position 9")]
    [InlineData("<speak><emphasis level=\"max\">x</emphasis></speak>", "SSML: invalid <emphasis> level 'max' on line 1, position 9")]
    [InlineData("<speak><sub>x</sub></speak>", "SSML: <sub> needs an alias attribute on line 1, position 9")]
    [InlineData("<speak><phoneme>x</phoneme></speak>", "SSML: <phoneme> needs a ph attribute on line 1, position 9")]
    [InlineData("<speak>\n  <p>x</q>\n</speak>", "SSML: unexpected end tag </q> on line 2, position 9")]
    [InlineData("<?xml version=\"1.0\"?><voice>x</voice>", "SSML: the root element must be <speak>, not <voice> on line 1, position 23")]
    [InlineData("<speak>&nope;</speak>", "SSML: Reference to undeclared entity 'nope' on line 1, position 9")]
    [InlineData("Hello </emphasis>", "SSML: unexpected end tag </emphasis> on line 1, position 9")]
    public void MalformedSsmlNamesTheProblemAndPosition(string ssml, string message) =>
        Assert.StartsWith(message, Rejects(ssml, ssml: true).Message);

    [Theory]
    [InlineData("<?xml version=\"1.0\"?><!DOCTYPE foo [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]><speak>&xxe;</speak>")]
    [InlineData("<!DOCTYPE speak SYSTEM \"http://example.com/evil.dtd\"><speak>x</speak>")]
    [InlineData("<!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\"><!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">]><speak>&lol2;</speak>")]
    public void Doctypes_are_refused_so_xxe_and_billion_laughs_cannot_run(string ssml)
    {
        var error = Rejects(ssml, ssml: true);

        Assert.StartsWith("SSML: DOCTYPE declarations are not allowed on line 1", error.Message);
        Assert.DoesNotContain("root:", error.Message);
    }
}
