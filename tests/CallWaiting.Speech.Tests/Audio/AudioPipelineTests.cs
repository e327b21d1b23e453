using CallWaiting.Speech.Audio;
using CallWaiting.Speech.Tests.Support;

namespace CallWaiting.Speech.Tests.Audio;

/// <summary>The composed pipeline: stage selection, end-to-end signal checks, offset mapping.</summary>
public sealed class AudioPipelineTests
{
    [Fact]
    public void Identity_options_build_no_stages_and_pass_audio_through()
    {
        var input = Signals.HarmonicTone(200, 24000, 0.5, peak: 1.0);
        using var pipeline = new AudioPipeline(new AudioPipelineOptions(24000, 24000) { LimitPeaks = false });

        Assert.Empty(pipeline.Stages);
        Assert.Equal(input, Streaming.RunInBlocks(pipeline, input));
    }

    [Fact]
    public void Stages_run_in_order_and_identities_are_skipped()
    {
        using var everything = new AudioPipeline(new AudioPipelineOptions(22050, 8000) { Speed = 1.25, Volume = 0.8, NormalizeLoudness = true });
        Assert.Equal(
            [typeof(TempoChanger), typeof(Resampler), typeof(GainStage), typeof(LoudnessNormalizer), typeof(PeakLimiter)],
            everything.Stages.Select(s => s.GetType()));

        using var defaults = new AudioPipeline(new AudioPipelineOptions(24000, 8000));
        Assert.Equal([typeof(Resampler), typeof(PeakLimiter)], defaults.Stages.Select(s => s.GetType()));
    }

    [Fact]
    public void Default_telephony_pipeline_keeps_one_kilohertz_and_removes_aliases()
    {
        float[] input = [.. Signals.Sine(1000, 24000, 2.0)];
        var alias = Signals.Sine(6000, 24000, 2.0, amplitude: 0.3);
        for (var i = 0; i < input.Length; i++) input[i] += alias[i];
        using var pipeline = new AudioPipeline(new AudioPipelineOptions(24000, 8000));

        var output = Streaming.RunInBlocks(pipeline, input);

        Assert.InRange(output.Length, 16000 - 3, 16000 + 3);
        Assert.InRange(Measure.ZeroCrossingFrequency(output, 8000), 990, 1010);
        Assert.True(Measure.GoertzelAmplitude(output, 8000, 2000) < 0.003, "6 kHz folded onto 2 kHz");
        Assert.InRange(Measure.GoertzelAmplitude(Measure.Middle(output), 8000, 1000), 0.49, 0.51);
    }

    [Fact]
    public void Full_chain_changes_tempo_and_rate_and_keeps_peaks_under_the_ceiling()
    {
        var input = Signals.Sine(440, 22050, 3.0, amplitude: 0.8);
        var options = new AudioPipelineOptions(22050, 16000) { Speed = 1.5, Volume = 2.0, CeilingDb = -2 };
        using var pipeline = new AudioPipeline(options);

        var output = Streaming.RunInBlocks(pipeline, input);

        var expected = input.Length * 16000.0 / 22050 * pipeline.TimeScale;
        Assert.InRange(output.Length, expected * 0.97, expected * 1.03);
        Assert.InRange(Measure.ZeroCrossingFrequency(output, 16000), 440 * 0.98, 440 * 1.02);
        var ceiling = Math.Pow(10, -2.0 / 20);
        Assert.InRange(Measure.Peak(output), ceiling * 0.95, ceiling);

        var stat = Sox.Analyze(output, 16000);
        Assert.InRange(stat.Seconds, 2.0 * 0.97, 2.0 * 1.03);
        Assert.True(stat.MaximumAmplitude <= ceiling + 1e-6);
    }

    [Fact]
    public void Offsets_map_through_rate_and_speed()
    {
        using var pipeline = new AudioPipeline(new AudioPipelineOptions(22050, 8000) { Speed = 2.0 });

        Assert.Equal(0.5, pipeline.TimeScale);
        Assert.Equal(4000, pipeline.MapSampleOffset(22050));
        Assert.Equal(new WordBoundary("hello", 8000, 1000), pipeline.Map(new WordBoundary("hello", 44100, 5512)));
        Assert.Throws<ArgumentOutOfRangeException>(() => pipeline.MapSampleOffset(-1));
    }

    [Fact]
    public void Parallel_pipelines_are_deterministic()
    {
        var input = Signals.SpeechLike(22050, 2.0, -12);
        var options = new AudioPipelineOptions(22050, 8000) { Speed = 0.8, NormalizeLoudness = true };
        float[] Run()
        {
            using var pipeline = new AudioPipeline(options);
            return Streaming.RunInBlocks(pipeline, input, seed: 11);
        }

        var reference = Run();
        var results = new float[12][];
        Parallel.For(0, results.Length, i => results[i] = Run());

        Assert.All(results, r => Assert.Equal(reference, r));
    }

    [Theory]
    [InlineData(22050, 8000, 2.5, 1.0)]
    [InlineData(4000, 8000, 1.0, 1.0)]
    [InlineData(22050, 96000, 1.0, 1.0)]
    [InlineData(22050, 8000, 1.0, -1.0)]
    public void InvalidOptionsAreRejected(int inputRate, int outputRate, double speed, double volume)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new AudioPipeline(new AudioPipelineOptions(inputRate, outputRate) { Speed = speed, Volume = volume }));
    }
}
