using CallWaiting.Speech.Audio;
using CallWaiting.Speech.Tests.Support;

namespace CallWaiting.Speech.Tests.Audio;

/// <summary>BS.1770 K-weighting filters against the standard's calibration points.</summary>
public sealed class KWeightingTests
{
    [Theory]
    [InlineData(48000)]
    [InlineData(24000)]
    [InlineData(16000)]
    [InlineData(8000)]
    public void FullScaleOneKilohertzSineMeasuresMinusThreeLufs(int rate)
    {
        // BS.1770's calibration point: a 0 dBFS 1 kHz sine reads -3.01 LUFS.
        Assert.InRange(Lufs(Signals.Sine(1000, rate, 2.0, amplitude: 1.0)), -3.06, -2.96);
    }

    [Fact]
    public void Highs_are_lifted_and_rumble_is_cut()
    {
        var reference = Lufs(Signals.Sine(1000, 48000, 2.0, amplitude: 1.0));
        Assert.InRange(Lufs(Signals.Sine(8000, 48000, 2.0, amplitude: 1.0)) - reference, 3.0, 4.5);
        Assert.True(Lufs(Signals.Sine(20, 48000, 2.0, amplitude: 1.0)) - reference < -10);
    }

    private static double Lufs(float[] samples)
    {
        var shelf = Biquad.KWeightingShelf(AudioRateOf(samples));
        var highPass = Biquad.KWeightingHighPass(AudioRateOf(samples));
        var sum = 0.0;
        var skip = samples.Length / 4; // let the filters settle
        for (var i = 0; i < samples.Length; i++)
        {
            var y = highPass.Process(shelf.Process(samples[i]));
            if (i >= skip) sum += y * y;
        }

        return -0.691 + (10 * Math.Log10(sum / (samples.Length - skip)));
    }

    // Every signal here lasts 2 s, so its length gives its rate.
    private static int AudioRateOf(float[] samples) => samples.Length / 2;
}
