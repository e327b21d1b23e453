using CallWaiting.Speech.Engines;
using CallWaiting.Speech.Text;

namespace CallWaiting.Speech.Tests.Text;

public sealed class SsmlTests
{
    [Fact]
    public void Normalizes_text_inside_ssml_like_plain_text()
    {
        var script = TextTestSupport.Ssml("<speak>Your balance is $42.50. Call 555-0199 at 9:30 AM.</speak>");

        Assert.Equal("Your balance is forty-two dollars and fifty cents. Call five five five, zero one nine nine at nine thirty A.M.", TextTestSupport.Join(script));
    }

    [Fact]
    public void Input_starting_with_speak_is_ssml_even_when_not_flagged()
    {
        var script = TextTestSupport.FrontEnd.Process("  <speak>Hi<break time=\"300ms\"/>there</speak>", false, "en-US", 200);

        Assert.Equal([typeof(SpokenText), typeof(Pause), typeof(SpokenText)], script.Segments.Select(s => s.GetType()));
        Assert.Equal(TimeSpan.FromMilliseconds(300), ((Pause)script.Segments[1]).Duration);
    }

    [Theory]
    [InlineData("time=\"500ms\"", 500)]
    [InlineData("time=\"2s\"", 2000)]
    [InlineData("time=\"1.5s\"", 1500)]
    [InlineData("strength=\"weak\"", 500)]
    [InlineData("strength=\"x-strong\"", 1250)]
    [InlineData("", 750)]
    [InlineData("time=\"99999s\"", 10_000)]
    public void BreaksBecomePausesClampedToTheMaximum(string attributes, int milliseconds)
    {
        var script = TextTestSupport.Ssml($"<speak>a<break {attributes}/>b</speak>");

        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), Assert.Single(script.Segments.OfType<Pause>()).Duration);
    }

    [Fact]
    public void Adjacent_breaks_merge_and_strength_none_adds_nothing()
    {
        var script = TextTestSupport.Ssml("<speak>a<break time=\"1s\"/><break time=\"2s\"/><break strength=\"none\"/>b</speak>");

        Assert.Equal(TimeSpan.FromSeconds(3), Assert.Single(script.Segments.OfType<Pause>()).Duration);
    }

    [Theory]
    [InlineData("rate=\"slow\"", 0.75, 1.0, 1.0)]
    [InlineData("rate=\"80%\"", 0.8, 1.0, 1.0)]
    [InlineData("rate=\"+20%\"", 1.2, 1.0, 1.0)]
    [InlineData("rate=\"1.5\"", 1.5, 1.0, 1.0)]
    [InlineData("pitch=\"high\"", 1.0, 1.15, 1.0)]
    [InlineData("pitch=\"-10%\"", 1.0, 0.9, 1.0)]
    [InlineData("pitch=\"+12st\"", 1.0, 2.0, 1.0)]
    [InlineData("pitch=\"+75Hz\"", 1.0, 1.5, 1.0)]
    [InlineData("volume=\"+6dB\"", 1.0, 1.0, 1.9953)]
    [InlineData("volume=\"silent\"", 1.0, 1.0, 0.0)]
    [InlineData("rate=\"x-fast\" pitch=\"low\" volume=\"soft\"", 1.75, 0.87, 0.5)]
    public void ProsodyBecomesMultipliers(string attributes, double rate, double pitch, double volume)
    {
        var script = TextTestSupport.Ssml($"<speak>Plain. <prosody {attributes}>Changed.</prosody></speak>");

        var chunks = script.Segments.OfType<SpokenText>().ToList();
        Assert.Equal(Prosody.Default, chunks[0].Prosody);
        Assert.Equal("Changed.", chunks[1].Text);
        Assert.Equal(rate, chunks[1].Prosody.Rate, 3);
        Assert.Equal(pitch, chunks[1].Prosody.Pitch, 3);
        Assert.Equal(volume, chunks[1].Prosody.Volume, 3);
    }

    [Fact]
    public void Nested_prosody_multiplies_and_is_clamped()
    {
        var nested = string.Concat(Enumerable.Repeat("<prosody rate=\"x-fast\">", 10)) + "go" + string.Concat(Enumerable.Repeat("</prosody>", 10));

        var script = TextTestSupport.Ssml($"<speak><prosody rate=\"50%\"><prosody rate=\"50%\">slow</prosody></prosody>{nested}</speak>");

        var chunks = script.Segments.OfType<SpokenText>().ToList();
        Assert.Equal(0.25, chunks[0].Prosody.Rate, 6);
        Assert.Equal(SsmlValues.MaxMultiplier, chunks[1].Prosody.Rate);
    }

    [Fact]
    public void Emphasis_is_slower_and_louder()
    {
        var script = TextTestSupport.Ssml("<speak>I <emphasis level=\"strong\">really</emphasis> mean it.</speak>");

        var chunks = script.Segments.OfType<SpokenText>().ToList();
        Assert.Equal(["I", "really", "mean it."], chunks.Select(c => c.Text));
        Assert.True(chunks[1].Prosody.Rate < 1 && chunks[1].Prosody.Volume > 1);
        Assert.Equal([false, false, true], chunks.Select(c => c.EndsSentence));
    }

    [Theory]
    [InlineData("characters", null, "ABC", "eigh b c")]
    [InlineData("spell-out", null, "hi5", "h i five")]
    [InlineData("digits", null, "2025", "two zero two five")]
    [InlineData("cardinal", null, "2025", "two thousand twenty-five")]
    [InlineData("cardinal", null, "1,234.5", "one thousand two hundred thirty-four point five")]
    [InlineData("ordinal", null, "3", "third")]
    [InlineData("ordinal", null, "22nd", "twenty-second")]
    [InlineData("telephone", null, "(415) 555-0199", "four one five, five five five, zero one nine nine")]
    [InlineData("date", "mdy", "12/03/2025", "December third, twenty twenty-five")]
    [InlineData("date", "dmy", "12/03/2025", "March twelfth, twenty twenty-five")]
    [InlineData("date", "ymd", "2025-12-03", "December third, twenty twenty-five")]
    [InlineData("date", "md", "12/03", "December third")]
    [InlineData("time", null, "9:30pm", "nine thirty P.M.")]
    [InlineData("currency", null, "$42.50", "forty-two dollars and fifty cents")]
    [InlineData("cardinal", null, "many", "many")]
    [InlineData("unknown-kind", null, "5 apples", "five apples")]
    public void SayAsReadsContentAsAsked(string interpretAs, string? format, string content, string expected)
    {
        var formatAttribute = format is null ? "" : $" format=\"{format}\"";

        var script = TextTestSupport.Ssml($"<speak><say-as interpret-as=\"{interpretAs}\"{formatAttribute}>{content}</say-as></speak>");

        Assert.Equal(expected, TextTestSupport.Join(script));
    }

    [Fact]
    public void Say_as_in_another_language_uses_neutral_spacing()
    {
        var script = TextTestSupport.Ssml("<speak><say-as interpret-as=\"characters\">ABC</say-as> <say-as interpret-as=\"telephone\">555-0199</say-as></speak>", "de-DE");

        Assert.Equal("A B C 5 5 5, 0 1 9 9", TextTestSupport.Join(script));
    }

    [Fact]
    public void Sub_speaks_its_alias_instead_of_its_text()
    {
        var script = TextTestSupport.Ssml("<speak>The <sub alias=\"World Wide Web Consortium\">W3C</sub> met.</speak>");

        Assert.Equal("The World Wide Web Consortium met.", TextTestSupport.Join(script));
    }

    [Fact]
    public void Phoneme_keeps_pronunciation_and_normalized_fallback_text()
    {
        var script = TextTestSupport.Ssml("<speak>Say <phoneme alphabet=\"ipa\" ph=\"təˈmeɪtoʊ\">tomato</phoneme> now.</speak>");

        var phoneme = Assert.Single(script.Segments.OfType<SpokenText>(), s => s.Phonemes is not null);
        Assert.Equal("tomato", phoneme.Text);
        Assert.Equal("təˈmeɪtoʊ", phoneme.Phonemes);
        Assert.Equal("ipa", phoneme.PhonemeAlphabet);
        Assert.Equal("Say tomato now.", TextTestSupport.Join(script));
    }

    [Fact]
    public void Paragraphs_and_sentences_end_sentences()
    {
        var script = TextTestSupport.Ssml("<speak><p><s>One</s><s>Two</s></p><p>Three <emphasis>four</emphasis></p>five</speak>");

        var chunks = script.Segments.OfType<SpokenText>().ToList();
        Assert.Equal(["One", "Two", "Three", "four", "five"], chunks.Select(c => c.Text));
        Assert.Equal([true, true, false, true, true], chunks.Select(c => c.EndsSentence));
    }

    [Fact]
    public void Ignored_and_unknown_elements_keep_their_text()
    {
        var script = TextTestSupport.Ssml(
            "<speak xmlns=\"http://www.w3.org/2001/10/synthesis\" xml:lang=\"en-US\"><voice name=\"x\">A</voice> <lang xml:lang=\"fr\">B</lang>"
            + " <mark name=\"m\"/><audio src=\"http://example.com/a.wav\">C</audio> <blink>D</blink> <!-- note --><![CDATA[E & F]]></speak>");

        Assert.Equal("A B C D E and F", TextTestSupport.Join(script));
    }

    [Fact]
    public void Markup_inside_a_number_does_not_break_its_reading()
    {
        var script = TextTestSupport.Ssml("<speak>It costs $42<mark name=\"m\"/>.50 today.</speak>");

        Assert.Equal("It costs forty-two dollars and fifty cents today.", TextTestSupport.Join(script));
    }

    [Fact]
    public void Fragments_are_wrapped_when_flagged_as_ssml()
    {
        var script = TextTestSupport.Ssml("Hello <emphasis>world</emphasis>");

        Assert.Equal("Hello world", TextTestSupport.Join(script));
    }

    [Fact]
    public void Entities_and_character_references_are_decoded()
    {
        var script = TextTestSupport.Ssml("<speak>Fish &amp; chips &lt;3 &#x41;BC</speak>");

        Assert.Equal("Fish and chips less than three ABC", TextTestSupport.Join(script));
    }
}
