using CallWaiting.Speech.Audio;
using CallWaiting.Speech.Tests.Support;

namespace CallWaiting.Speech.Tests.Audio;

/// <summary>libsoxr resampling: frequency, duration, aliasing, determinism, lifecycle.</summary>
public sealed class ResamplerTests
{
    [Theory]
    [InlineData(16000, 8000)]
    [InlineData(22050, 8000)]
    [InlineData(8000, 48000)]
    [InlineData(24000, 44100)]
    [InlineData(48000, 22050)]
    [InlineData(11025, 16000)]
    public void OneKilohertzSineStaysOneKilohertzWithTheRightDuration(int inputRate, int outputRate)
    {
        var input = Signals.Sine(1000, inputRate, 2.0);
        using var resampler = new Resampler(inputRate, outputRate);

        var output = Streaming.RunInBlocks(resampler, input, seed: inputRate + outputRate);

        var expected = (double)input.Length * outputRate / inputRate;
        Assert.InRange(output.Length, expected - 3, expected + 3);
        Assert.InRange(Measure.ZeroCrossingFrequency(output, outputRate), 990, 1010);
        Assert.InRange(Measure.GoertzelAmplitude(Measure.Middle(output), outputRate, 1000), 0.49, 0.51);
    }

    [Fact]
    public void Tone_above_the_new_nyquist_is_removed_instead_of_aliased()
    {
        var input = Signals.Sine(6000, 24000, 2.0);
        using var resampler = new Resampler(24000, 8000);

        var output = Streaming.RunInBlocks(resampler, input);

        // A naive decimator would fold 6 kHz onto 2 kHz at full level.
        var attenuationDb = Measure.RmsDb(Measure.Middle(output)) - Measure.RmsDb(input);
        Assert.True(attenuationDb < -40, $"6 kHz leaked through at {attenuationDb:F1} dB");
        Assert.True(Measure.GoertzelAmplitude(output, 8000, 2000) < 0.005);
    }

    [Fact]
    public void Tone_below_the_new_nyquist_survives()
    {
        var input = Signals.Sine(3000, 24000, 2.0);
        using var resampler = new Resampler(24000, 8000);

        var output = Streaming.RunInBlocks(resampler, input);

        var levelDb = Measure.RmsDb(Measure.Middle(output)) - Measure.RmsDb(input);
        Assert.True(levelDb > -1, $"3 kHz lost {levelDb:F2} dB");
        Assert.InRange(Measure.ZeroCrossingFrequency(output, 8000), 2970, 3030);
    }

    [Fact]
    public void Sox_agrees_on_length_level_and_frequency()
    {
        var input = Signals.Sine(1000, 22050, 3.0);
        using var resampler = new Resampler(22050, 8000, ResamplerQuality.VeryHigh);

        var stat = Sox.Analyze(Streaming.RunInBlocks(resampler, input), 8000);

        Assert.InRange(stat.Seconds, 2.985, 3.015);
        Assert.InRange(stat.RmsAmplitude, 0.5 / Math.Sqrt(2) * 0.98, 0.5 / Math.Sqrt(2) * 1.02);
        Assert.InRange(stat.MaximumAmplitude, 0.48, 0.52);
        Assert.InRange(stat.RoughFrequency, 950, 1050);
    }

    [Fact]
    public void Equal_rates_pass_samples_through_unchanged()
    {
        var input = Signals.Sine(440, 16000, 0.5);
        using var resampler = new Resampler(16000, 16000);

        var output = Streaming.RunInBlocks(resampler, input);

        Assert.True(resampler.IsPassThrough);
        Assert.Equal(input, output);
    }

    [Fact]
    public void Output_is_deterministic_and_independent_of_block_sizes()
    {
        var input = Signals.HarmonicTone(180, 22050, 1.5);

        float[] Run(int seed)
        {
            using var resampler = new Resampler(22050, 16000);
            return Streaming.RunInBlocks(resampler, input, seed);
        }

        var first = Run(7);
        Assert.Equal(first, Run(7));
        Assert.Equal(first, Run(99));
    }

    [Fact]
    public void Parallel_instances_match_a_sequential_run()
    {
        var input = Signals.HarmonicTone(200, 24000, 1.0);
        float[] Run()
        {
            using var resampler = new Resampler(24000, 8000);
            return Streaming.RunInBlocks(resampler, input);
        }

        var reference = Run();
        var results = new float[16][];
        Parallel.For(0, results.Length, i => results[i] = Run());

        Assert.All(results, r => Assert.Equal(reference, r));
    }

    [Theory]
    [InlineData(7999, 8000)]
    [InlineData(8000, 48001)]
    [InlineData(0, 16000)]
    [InlineData(16000, -1)]
    public void RatesOutsideEightToFortyEightKilohertzAreRejected(int inputRate, int outputRate)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Resampler(inputRate, outputRate));
    }

    [Fact]
    public void Processing_after_flush_or_dispose_is_rejected()
    {
        var resampler = new Resampler(16000, 8000);
        resampler.Process(new float[100]);
        Assert.NotEmpty(resampler.Flush());
        Assert.Empty(resampler.Flush());
        Assert.Throws<InvalidOperationException>(() => resampler.Process(new float[10]));

        resampler.Dispose();
        resampler.Dispose();
        Assert.Throws<ObjectDisposedException>(() => resampler.Flush());
    }

    [Fact]
    public void Flush_without_input_yields_nothing()
    {
        using var resampler = new Resampler(8000, 48000);
        Assert.Empty(resampler.Process(ReadOnlySpan<float>.Empty));
        Assert.Empty(resampler.Flush());
    }
}
