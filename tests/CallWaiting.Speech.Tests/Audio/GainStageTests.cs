using CallWaiting.Speech.Audio;
using CallWaiting.Speech.Tests.Support;

namespace CallWaiting.Speech.Tests.Audio;

/// <summary>Constant gain stage and decibel conversions.</summary>
public sealed class GainStageTests
{
    [Fact]
    public void Multiplies_every_sample()
    {
        var input = Signals.Sine(440, 8000, 0.5);
        using var gain = new GainStage(0.5);

        var output = Streaming.RunInBlocks(gain, input);

        Assert.Equal(input.Select(v => v * 0.5f), output);
    }

    [Fact]
    public void Decibels_map_to_linear_gain()
    {
        using var gain = GainStage.FromDecibels(-6.020599913279624);
        Assert.Equal(0.5, gain.Gain, 12);
        Assert.Equal(6.0206, Decibels.FromGain(2), 4);
    }

    [Fact]
    public void Unity_is_an_exact_pass_through()
    {
        var input = Signals.HarmonicTone(150, 8000, 0.3);
        using var gain = new GainStage(1);

        Assert.True(gain.IsPassThrough);
        Assert.Equal(input, Streaming.RunInBlocks(gain, input));
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(16.5)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void InvalidGainIsRejected(double value)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new GainStage(value));
    }
}
