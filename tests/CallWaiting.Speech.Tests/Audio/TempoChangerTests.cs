using CallWaiting.Speech.Audio;
using CallWaiting.Speech.Tests.Support;

namespace CallWaiting.Speech.Tests.Audio;

/// <summary>libsonic tempo change: duration scales, pitch stays, bad speeds rejected.</summary>
public sealed class TempoChangerTests
{
    [Theory]
    [InlineData(0.5)]
    [InlineData(0.75)]
    [InlineData(1.5)]
    [InlineData(2.0)]
    public void SineKeepsItsPitchWhileDurationScalesByOneOverSpeed(double speed)
    {
        const int rate = 22050;
        var input = Signals.Sine(440, rate, 3.0);
        using var tempo = new TempoChanger(rate, speed);

        var output = Streaming.RunInBlocks(tempo, input, seed: (int)(speed * 100));

        var expected = input.Length / speed;
        Assert.InRange(output.Length, expected * 0.97, expected * 1.03);
        Assert.InRange(Measure.ZeroCrossingFrequency(output, rate), 440 * 0.98, 440 * 1.02);
    }

    [Theory]
    [InlineData(0.5, 16000)]
    [InlineData(0.75, 24000)]
    [InlineData(1.5, 16000)]
    [InlineData(2.0, 24000)]
    public void HarmonicRichToneKeepsItsFundamental(double speed, int rate)
    {
        var input = Signals.HarmonicTone(200, rate, 3.0);
        using var tempo = new TempoChanger(rate, speed);

        var output = Streaming.RunInBlocks(tempo, input);

        var expected = input.Length / speed;
        Assert.InRange(output.Length, expected * 0.97, expected * 1.03);
        var fundamental = Measure.DominantFrequency(Measure.Middle(output), rate, 100, 450);
        Assert.InRange(fundamental, 200 * 0.98, 200 * 1.02);
        // The second harmonic is still where it belongs, so the waveform was not smeared.
        var second = Measure.DominantFrequency(Measure.Middle(output), rate, 300, 500);
        Assert.InRange(second, 400 * 0.98, 400 * 1.02);
    }

    [Fact]
    public void Sox_hears_the_same_pitch_at_double_speed()
    {
        var input = Signals.Sine(440, 16000, 4.0);
        using var tempo = new TempoChanger(16000, 2.0);

        var stat = Sox.Analyze(Streaming.RunInBlocks(tempo, input), 16000);

        Assert.InRange(stat.Seconds, 1.94, 2.06);
        Assert.InRange(stat.RoughFrequency, 440 * 0.95, 440 * 1.05);
        Assert.InRange(stat.RmsAmplitude, 0.5 / Math.Sqrt(2) * 0.9, 0.5 / Math.Sqrt(2) * 1.1);
    }

    [Fact]
    public void Speed_one_is_an_exact_pass_through()
    {
        var input = Signals.HarmonicTone(200, 16000, 0.5);
        using var tempo = new TempoChanger(16000, 1.0);

        Assert.True(tempo.IsPassThrough);
        Assert.Equal(input, Streaming.RunInBlocks(tempo, input));
    }

    [Theory]
    [InlineData(0.49)]
    [InlineData(2.01)]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void SpeedOutsideHalfToDoubleIsRejected(double speed)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new TempoChanger(16000, speed));
    }

    [Fact]
    public void Unsupported_sample_rate_is_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new TempoChanger(96000, 1.5));
    }

    [Fact]
    public void Samples_beyond_full_scale_are_clamped_not_wrapped()
    {
        // A 16-bit cast without clamping would turn +1.5 into -1.0.
        var input = Enumerable.Repeat(1.5f, 16000).ToArray();
        using var tempo = new TempoChanger(16000, 1.5);

        var output = Streaming.RunInBlocks(tempo, input);

        Assert.NotEmpty(output);
        Assert.All(Measure.Middle(output).ToArray(), v => Assert.InRange(v, 0.99f, 1.0001f));
    }

    [Fact]
    public void Output_is_deterministic_parallel_safe_and_independent_of_block_sizes()
    {
        var input = Signals.SpeechLike(16000, 2.0, -20);
        float[] Run(int seed = 5)
        {
            using var tempo = new TempoChanger(16000, 1.3);
            return Streaming.RunInBlocks(tempo, input, seed);
        }

        var reference = Run();
        Assert.Equal(reference, Run(seed: 9));
        var results = new float[12][];
        Parallel.For(0, results.Length, i => results[i] = Run());

        Assert.All(results, r => Assert.Equal(reference, r));
    }
}
