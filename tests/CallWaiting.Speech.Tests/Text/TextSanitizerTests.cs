using CallWaiting.Speech.Text;

namespace CallWaiting.Speech.Tests.Text;

public sealed class TextSanitizerTests
{
    [Theory]
    [InlineData("Hel\0lo", "Hello")]
    [InlineData("a\u0001b\u007Fc\u009Fd", "abcd")]
    [InlineData("zero\u200Bwidth\u200Cjoin\u200D\u2060\uFEFFer", "zerowidthjoiner")]
    [InlineData("bi\u202Edi\u200F", "bidi")]
    [InlineData("emoji 😀👍🏽 ❤️ 🇺🇸 ✅ done", "emoji done")]
    [InlineData("family 👨‍👩‍👧 here", "family here")]
    [InlineData("keycap 1️⃣", "keycap 1")]
    [InlineData("private \uE000use", "private use")]
    [InlineData("tabs\tand\u00A0nbsp  and   spaces", "tabs and nbsp and spaces")]
    public void RemovesWhatNoEngineCanSpeak(string input, string expected) =>
        Assert.Equal(expected, TextSanitizer.Clean(input).Trim());

    // Built in code, not InlineData: theory data serialization would turn lone surrogates into U+FFFD.
    [Fact]
    public void Removes_lone_and_reversed_surrogates_but_keeps_valid_pairs()
    {
        var input = "lone \uD800high \uDC00low \uDC00\uD800rev \uD835\uDC9Cpair\uD800";

        var cleaned = TextSanitizer.Clean(input);

        Assert.Equal("lone high low rev \uD835\uDC9Cpair", cleaned);
        Assert.False(TextTestSupport.HasLoneSurrogate(cleaned));
    }

    [Fact]
    public void Composes_to_nfc_so_engines_see_one_code_point_per_letter() =>
        Assert.Equal("Caf\u00E9 \u00C5ngstr\u00F6m", TextSanitizer.Clean("Cafe\u0301 A\u030Angstro\u0308m"));

    [Fact]
    public void Removes_replacement_characters() => Assert.Equal("ab", TextSanitizer.Clean("a\uFFFDb\uFFFC"));

    [Fact]
    public void Keeps_right_to_left_scripts_and_their_marks()
    {
        const string arabic = "مَرْحَبًا بِالْعَالَم";
        const string hebrew = "שָׁלוֹם עוֹלָם";

        Assert.Equal(arabic, TextSanitizer.Clean(arabic));
        Assert.Equal(hebrew, TextSanitizer.Clean(hebrew).Normalize());
    }

    [Fact]
    public void Caps_stacked_combining_marks()
    {
        var zalgo = "a" + new string('\u0301', 200) + "b";

        var cleaned = TextSanitizer.Clean(zalgo);

        Assert.True(cleaned.Length <= 6, cleaned.Length.ToString());
        Assert.EndsWith("b", cleaned);
    }

    [Fact]
    public void Blank_lines_become_paragraphs_and_single_line_breaks_spaces()
    {
        var cleaned = TextSanitizer.Clean("one\ntwo\r\n\r\nthree\u2029four");

        Assert.Equal("one two\nthree\nfour", cleaned);
    }

    [Fact]
    public void Markup_stripping_keeps_lines_and_positions()
    {
        var stripped = TextSanitizer.StripForMarkup("<speak>\n\t<s>a\0b😀</s>\r\n</speak>");

        Assert.Equal("<speak>\n\t<s>ab</s>\r\n</speak>", stripped);
    }
}
