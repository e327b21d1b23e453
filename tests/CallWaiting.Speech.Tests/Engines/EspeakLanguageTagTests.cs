using CallWaiting.Speech.Engines.Espeak;

namespace CallWaiting.Speech.Tests.Engines;

public sealed class EspeakLanguageTagTests
{
    [Theory]
    [InlineData("en-us", "en-US")]
    [InlineData("en-gb-x-rp", "en-GB-x-rp")]
    [InlineData("en-gb-scotland", "en-GB-scotland")]
    [InlineData("en-029", "en-029")]
    [InlineData("es-419", "es-419")]
    [InlineData("pt-br", "pt-BR")]
    [InlineData("cmn", "cmn")]
    [InlineData("cmn-latn-pinyin", "cmn-Latn-pinyin")]
    [InlineData("fa-latn", "fa-Latn")]
    [InlineData("vi-vn-x-south", "vi-VN-x-south")]
    [InlineData("chr-US-Qaaa-x-west", "chr-Qaaa-US-x-west")]
    [InlineData("en-us-nyc", "en-US-x-nyc")]
    [InlineData("piqd", "tlh-Piqd")]
    [InlineData("abcdefghij-us", "und-US-x-abcdefgh")]
    public void MapsEspeakNamesToBcp47(string espeak, string expected)
    {
        Assert.Equal(expected, EspeakLanguageTag.ToBcp47(espeak));
    }

    [Fact]
    public void Rejects_blank_names()
    {
        Assert.ThrowsAny<ArgumentException>(() => EspeakLanguageTag.ToBcp47(" "));
    }
}
