using CallWaiting.Speech.Text;

namespace CallWaiting.Speech.Tests.Text;

/// <summary>Text length in code points: what a caller counts as characters, not UTF-16 units.</summary>
public sealed class TextLengthTests
{
    [Theory]
    [InlineData("", 0)]
    [InlineData("Hello.", 6)]
    [InlineData("😀", 1)]
    [InlineData("a😀b😀", 4)]
    [InlineData("👍🏽", 2)] // an emoji and its skin-tone modifier are two code points
    [InlineData("e\u0301", 2)] // e and a combining acute accent
    public void Counts_code_points(string text, int expected) => Assert.Equal(expected, TextLength.Of(text));

    // Lone surrogates are made here: test data in attributes would not carry them intact.
    [Fact]
    public void A_lone_surrogate_is_one_character()
    {
        Assert.Equal(1, TextLength.Of("\ud800"));
        Assert.Equal(2, TextLength.Of("\udc00\ud800")); // a low before a high surrogate is no pair
        Assert.Equal(2, TextLength.Of("x\ud83d")); // a high surrogate at the end
    }

    [Fact]
    public void Six_hundred_emoji_are_six_hundred_characters() =>
        Assert.Equal(600, TextLength.Of(string.Concat(Enumerable.Repeat("😀", 600))));
}
