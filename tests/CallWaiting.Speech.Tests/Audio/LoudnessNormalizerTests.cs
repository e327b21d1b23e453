using CallWaiting.Speech.Audio;
using CallWaiting.Speech.Tests.Support;

namespace CallWaiting.Speech.Tests.Audio;

/// <summary>Loudness normalizer: converges to target, no pumping, silence never amplified.</summary>
public sealed class LoudnessNormalizerTests
{
    private const int Rate = 16000;

    [Theory]
    [InlineData(-30)]
    [InlineData(-20)]
    [InlineData(-8)]
    public void Quiet_and_loud_speech_end_up_near_the_target(double inputDb)
    {
        var input = Signals.SpeechLike(Rate, 12.0, inputDb);
        using var normalizer = new LoudnessNormalizer(Rate, targetLufs: -20);

        var output = Streaming.RunInBlocks(normalizer, input);

        Assert.Equal(input.Length, output.Length);
        // Loudness is measured like BS.1770, pauses inside the 400 ms windows included, so compare plain RMS.
        var settled = output.AsSpan(4 * Rate);
        Assert.InRange(Measure.RmsDb(settled), -22, -18);
    }

    [Fact]
    public void Sox_measures_the_same_level_for_quiet_and_loud_input()
    {
        double SettledRms(double inputDb)
        {
            using var normalizer = new LoudnessNormalizer(Rate);
            var output = Streaming.RunInBlocks(normalizer, Signals.SpeechLike(Rate, 10.0, inputDb));
            return Sox.Analyze(output[(5 * Rate)..], Rate).RmsAmplitude;
        }

        var quiet = SettledRms(-28);
        var loud = SettledRms(-10);
        Assert.InRange(20 * Math.Log10(quiet / loud), -1, 1);
    }

    [Fact]
    public void Gain_stays_steady_across_syllables_and_pauses()
    {
        var input = Signals.SpeechLike(Rate, 12.0, -28);
        using var normalizer = new LoudnessNormalizer(Rate);

        var output = Streaming.RunInBlocks(normalizer, input);

        // Per 50 ms of voiced audio, output/input level must not swing: no pumping between syllables.
        var ratios = new List<double>();
        const int block = Rate / 20;
        for (var start = 6 * Rate; start + block <= input.Length; start += block)
        {
            var inRms = Measure.Rms(input.AsSpan(start, block));
            if (inRms < 1e-3) continue;
            ratios.Add(20 * Math.Log10(Measure.Rms(output.AsSpan(start, block)) / inRms));
        }

        Assert.True(ratios.Count > 50);
        Assert.True(ratios.Max() - ratios.Min() < 1.0, $"gain swung by {ratios.Max() - ratios.Min():F2} dB");
    }

    [Fact]
    public void Boost_is_capped_at_max_gain()
    {
        var input = Signals.SpeechLike(Rate, 10.0, -44);
        using var normalizer = new LoudnessNormalizer(Rate, targetLufs: -20, maxGainDb: 12);

        var output = Streaming.RunInBlocks(normalizer, input);

        var gainDb = Measure.ActiveRmsDb(output.AsSpan(5 * Rate)) - Measure.ActiveRmsDb(input.AsSpan(5 * Rate));
        Assert.InRange(gainDb, 11.5, 12.01);
        Assert.InRange(normalizer.CurrentGainDb, 11.5, 12.01);
    }

    [Fact]
    public void Silence_and_faint_noise_are_not_amplified()
    {
        var random = new Random(42);
        var noise = Enumerable.Range(0, 3 * Rate).Select(_ => (float)((random.NextDouble() - 0.5) * 0.001)).ToArray();
        float[] input = [.. new float[2 * Rate], .. noise];
        using var normalizer = new LoudnessNormalizer(Rate);

        var output = Streaming.RunInBlocks(normalizer, input);

        Assert.Equal(input, output);
        Assert.Equal(0, normalizer.CurrentGainDb);
    }

    [Fact]
    public void Pauses_after_speech_stay_silent_and_keep_the_gain()
    {
        float[] input = [.. Signals.SpeechLike(Rate, 6.0, -30), .. new float[3 * Rate]];
        using var normalizer = new LoudnessNormalizer(Rate);

        var output = Streaming.RunInBlocks(normalizer, input);

        Assert.All(output[(6 * Rate)..], v => Assert.Equal(0f, v));
        Assert.InRange(normalizer.CurrentGainDb, 8, 12.01);
    }

    [Fact]
    public void Output_does_not_depend_on_block_sizes()
    {
        var input = Signals.SpeechLike(Rate, 3.0, -26);
        float[] Run(int seed)
        {
            using var normalizer = new LoudnessNormalizer(Rate);
            return Streaming.RunInBlocks(normalizer, input, seed);
        }

        Assert.Equal(Run(1), Run(2));
    }

    [Theory]
    [InlineData(-41, 12, 20)]
    [InlineData(-4, 12, 20)]
    [InlineData(-20, -1, 20)]
    [InlineData(-20, 31, 20)]
    [InlineData(-20, 12, 41)]
    [InlineData(double.NaN, 12, 20)]
    public void InvalidSettingsAreRejected(double target, double maxGain, double maxAttenuation)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new LoudnessNormalizer(Rate, target, maxGain, maxAttenuation));
    }
}
