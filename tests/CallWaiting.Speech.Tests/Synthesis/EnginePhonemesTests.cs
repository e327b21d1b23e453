using CallWaiting.Speech.Engines;
using CallWaiting.Speech.Synthesis;
using CallWaiting.Speech.Text;

namespace CallWaiting.Speech.Tests.Synthesis;

public sealed class EnginePhonemesTests
{
    private static readonly EngineCapabilities Espeak = new(true, true, true, Phonemes: true, false, false, 600);
    private static readonly EngineCapabilities Flite = new(true, true, true, Phonemes: false, false, true, 400);

    [Theory]
    [InlineData("x-espeak", "t@m'A:toU", true)]
    [InlineData("X-ESPEAK", "t@m'A:toU", true)]
    [InlineData("ipa", "təˈmɑːtoʊ", false)]
    [InlineData("x-sampa", "t@\"mA:toU", false)]
    [InlineData(null, "t@m'A:toU", false)]
    public void Only_espeaks_own_alphabet_reaches_an_engine_that_reads_phonemes(string? alphabet, string phonemes, bool passed)
    {
        var spoken = new SpokenText("tomato", Prosody.Default, false, phonemes, alphabet);
        Assert.Equal(passed ? phonemes : null, SynthesisPlan.EnginePhonemes(spoken, Espeak));
        Assert.Null(SynthesisPlan.EnginePhonemes(spoken, Flite));
    }
}
