using CallWaiting.Speech.Audio;
using CallWaiting.Speech.Tests.Support;

namespace CallWaiting.Speech.Tests.Audio;

/// <summary>Look-ahead limiter: ceiling holds, quiet audio bit-exact, length and alignment kept.</summary>
public sealed class PeakLimiterTests
{
    private static readonly float Ceiling = (float)Math.Pow(10, -1.0 / 20);

    [Theory]
    [InlineData(8000, 1000)]
    [InlineData(16000, 1000)]
    [InlineData(48000, 110)]
    public void Sine_six_decibels_over_full_scale_never_exceeds_the_ceiling(int rate, double frequency)
    {
        var input = Signals.Sine(frequency, rate, 2.0, amplitude: 2.0);
        using var limiter = new PeakLimiter(rate);

        var output = Streaming.RunInBlocks(limiter, input, seed: rate);

        Assert.Equal(input.Length, output.Length);
        Assert.True(Measure.Peak(output) <= Ceiling, $"peak {Measure.Peak(output)} over ceiling {Ceiling}");
        // Limited, not muted: the steady tone sits just under the ceiling and keeps its frequency.
        Assert.InRange(Measure.Peak(Measure.Middle(output)), Ceiling * 0.97, Ceiling);
        Assert.InRange(Measure.ZeroCrossingFrequency(output, rate), frequency * 0.99, frequency * 1.01);
    }

    [Fact]
    public void Sox_sees_no_peak_above_the_ceiling()
    {
        var input = Signals.SpeechLike(16000, 3.0, activeRmsDb: 0);
        using var limiter = new PeakLimiter(16000, ceilingDb: -3);

        var stat = Sox.Analyze(Streaming.RunInBlocks(limiter, input), 16000);

        Assert.True(Measure.Peak(input) > 1.5);
        Assert.InRange(stat.MaximumAmplitude, 0.6, Math.Pow(10, -3.0 / 20) + 1e-6);
        Assert.InRange(stat.Seconds, 2.9999, 3.0001);
    }

    [Fact]
    public void Quiet_signal_passes_bit_exact_and_aligned()
    {
        var input = Signals.SpeechLike(16000, 2.0, activeRmsDb: -20);
        input[1234] = 0.85f; // a lone peak just under the ceiling marks the alignment
        using var limiter = new PeakLimiter(16000);

        var output = Streaming.RunInBlocks(limiter, input);

        Assert.True(Measure.Peak(input) < Ceiling);
        Assert.Equal(input, output);
    }

    [Fact]
    public void Gain_returns_to_exactly_one_after_a_burst()
    {
        const int rate = 16000;
        var quietBefore = Signals.Sine(500, rate, 1.0, amplitude: 0.3);
        var burst = Signals.Sine(500, rate, 0.2, amplitude: 3.0);
        var quietAfter = Signals.Sine(500, rate, 2.0, amplitude: 0.3);
        float[] input = [.. quietBefore, .. burst, .. quietAfter];
        using var limiter = new PeakLimiter(rate, lookAheadMs: 5, releaseMs: 80);

        var output = Streaming.RunInBlocks(limiter, input);

        Assert.True(Measure.Peak(output) <= Ceiling);
        // Before the burst's look-ahead window the audio is untouched...
        var untouched = quietBefore.Length - limiter.LatencySamples - 1;
        Assert.Equal(input.AsSpan(0, untouched).ToArray(), output.AsSpan(0, untouched).ToArray());
        // ...the burst is pulled down to the ceiling...
        Assert.InRange(Measure.Peak(output.AsSpan(quietBefore.Length + 400, burst.Length - 800)), Ceiling * 0.97, Ceiling);
        // ...and once released, the gain is exactly 1 again.
        var tail = quietAfter.Length / 2;
        Assert.Equal(input.AsSpan(input.Length - tail).ToArray(), output.AsSpan(output.Length - tail).ToArray());
        // The release is gradual: right after the burst the quiet tone is still attenuated.
        var justAfter = output.AsSpan(quietBefore.Length + burst.Length + 40, 160);
        Assert.InRange(Measure.Peak(justAfter), 0.05, 0.29);
    }

    [Fact]
    public void Output_does_not_depend_on_block_sizes()
    {
        var input = Signals.SpeechLike(22050, 2.0, activeRmsDb: -2);
        float[] Run(int seed)
        {
            using var limiter = new PeakLimiter(22050);
            return Streaming.RunInBlocks(limiter, input, seed);
        }

        var first = Run(3);
        Assert.Equal(first, Run(3));
        Assert.Equal(first, Run(17));
        // A whole clip in one block (as a neural engine yields a sentence) and one sample at a time: the same output.
        Assert.Equal(first, RunWhole(input));
        Assert.Equal(first, RunSampleBySample(input));
    }

    [Fact]
    public void A_loud_peak_inside_a_long_quiet_block_is_limited_and_the_rest_passes_bit_exact()
    {
        const int rate = 22050;
        var input = Signals.SpeechLike(rate, 3.0, activeRmsDb: -20);
        Array.Clear(input, 20_000, 2_000);
        input[21_000] = 1.5f;

        var output = RunWhole(input);

        Assert.True(Measure.Peak(input.AsSpan(0, 20_000)) < Ceiling);
        Assert.InRange(output[21_000], Ceiling * 0.99f, Ceiling);
        Assert.True(Measure.Peak(output) <= Ceiling);
        // Untouched before the look-ahead reaches the peak, and exactly restored once the gain is back at 1.
        Assert.Equal(input.AsSpan(0, 20_000).ToArray(), output.AsSpan(0, 20_000).ToArray());
        Assert.Equal(input.AsSpan(rate * 2).ToArray(), output.AsSpan(rate * 2).ToArray());
        Assert.Equal(RunSampleBySample(input), output);
    }

    [Fact]
    public void Short_streams_are_flushed_to_their_full_length()
    {
        using var limiter = new PeakLimiter(48000, lookAheadMs: 10);

        Assert.Empty(limiter.Process([0.5f, 2f, -2f]));
        var output = limiter.Flush();

        Assert.Equal(3, output.Length);
        // The sample before the peak is already turned down by the look-ahead; the peaks land on the ceiling.
        Assert.InRange(output[0], 0.5f * Ceiling / 2, 0.49f);
        Assert.InRange(output[1], Ceiling * 0.99f, Ceiling);
        Assert.InRange(output[2], -Ceiling, -Ceiling * 0.99f);
    }

    [Fact]
    public void Non_finite_samples_become_silence_instead_of_poisoning_the_output()
    {
        var input = Signals.Sine(300, 8000, 0.5, amplitude: 0.5);
        input[1000] = float.NaN;
        input[2000] = float.PositiveInfinity;
        input[3000] = float.NegativeInfinity;
        using var limiter = new PeakLimiter(8000);

        var output = Streaming.RunInBlocks(limiter, input);

        Assert.All(output, v => Assert.True(float.IsFinite(v) && Math.Abs(v) <= Ceiling));
        Assert.Equal([0f, 0f, 0f], [output[1000], output[2000], output[3000]]);
        Assert.Equal(input[1500], output[1500]);
    }

    private static float[] RunWhole(float[] input)
    {
        using var limiter = new PeakLimiter(22050);
        return [.. limiter.Process(input), .. limiter.Flush()];
    }

    private static float[] RunSampleBySample(float[] input)
    {
        using var limiter = new PeakLimiter(22050);
        var output = new List<float>(input.Length);
        for (var i = 0; i < input.Length; i++) output.AddRange(limiter.Process(input.AsSpan(i, 1)));
        output.AddRange(limiter.Flush());
        return [.. output];
    }

    [Theory]
    [InlineData(0.5, 5, 80)]
    [InlineData(-41, 5, 80)]
    [InlineData(double.NaN, 5, 80)]
    [InlineData(-1, 0, 80)]
    [InlineData(-1, 51, 80)]
    [InlineData(-1, 5, 0.5)]
    public void InvalidSettingsAreRejected(double ceilingDb, double lookAheadMs, double releaseMs)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new PeakLimiter(16000, ceilingDb, lookAheadMs, releaseMs));
    }
}
