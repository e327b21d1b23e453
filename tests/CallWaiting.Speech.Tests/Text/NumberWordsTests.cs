using CallWaiting.Speech.Text;

namespace CallWaiting.Speech.Tests.Text;

public sealed class NumberWordsTests
{
    [Theory]
    [InlineData(0, "zero")]
    [InlineData(7, "seven")]
    [InlineData(13, "thirteen")]
    [InlineData(42, "forty-two")]
    [InlineData(100, "one hundred")]
    [InlineData(101, "one hundred one")]
    [InlineData(1_000, "one thousand")]
    [InlineData(1_001_000, "one million one thousand")]
    [InlineData(-15, "minus fifteen")]
    [InlineData(999_999_999_999_999, "nine hundred ninety-nine trillion nine hundred ninety-nine billion nine hundred ninety-nine million nine hundred ninety-nine thousand nine hundred ninety-nine")]
    [InlineData(long.MinValue, "minus nine quintillion two hundred twenty-three quadrillion three hundred seventy-two trillion thirty-six billion eight hundred fifty-four million seven hundred seventy-five thousand eight hundred eight")]
    public void Cardinals(long n, string expected) => Assert.Equal(expected, NumberWords.Cardinal(n));

    [Theory]
    [InlineData(1, "first")]
    [InlineData(2, "second")]
    [InlineData(3, "third")]
    [InlineData(5, "fifth")]
    [InlineData(8, "eighth")]
    [InlineData(9, "ninth")]
    [InlineData(12, "twelfth")]
    [InlineData(20, "twentieth")]
    [InlineData(21, "twenty-first")]
    [InlineData(100, "one hundredth")]
    [InlineData(1_000_003, "one million third")]
    public void Ordinals(long n, string expected) => Assert.Equal(expected, NumberWords.Ordinal(n));

    [Theory]
    [InlineData(1999, "nineteen ninety-nine")]
    [InlineData(2005, "two thousand five")]
    [InlineData(2025, "twenty twenty-five")]
    [InlineData(2000, "two thousand")]
    [InlineData(1900, "nineteen hundred")]
    [InlineData(1905, "nineteen oh five")]
    [InlineData(2100, "twenty-one hundred")]
    [InlineData(1066, "ten sixty-six")]
    [InlineData(999, "nine hundred ninety-nine")]
    public void Years(int year, string expected) => Assert.Equal(expected, NumberWords.Year(year));

    [Fact]
    public void Long_digit_strings_are_read_digit_by_digit_in_groups()
    {
        var digits = new string('9', NumberWords.MaxCardinalDigits + 1);

        var words = NumberWords.Cardinal(digits);

        Assert.Equal(digits.Length, words.Split(' ').Length);
        Assert.Equal((digits.Length - 1) / 4, words.Count(c => c == ','));
        Assert.StartsWith("nine nine nine nine, nine", words);
    }

    [Fact]
    public void Decimals_read_each_fraction_digit() =>
        Assert.Equal("three point one four", NumberWords.Decimal("3", "14"));
}
