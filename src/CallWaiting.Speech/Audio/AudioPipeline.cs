using System.Buffers;

namespace CallWaiting.Speech.Audio;

/// <summary>Streaming chain tempo → resample → volume → loudness → limiter, built from options and skipping identity stages.</summary>
public sealed class AudioPipeline : AudioStage
{
    private readonly AudioStage[] _stages;

    // Ping-pong buffers between stages, reused for the life of the stream.
    private readonly ArrayBufferWriter<float> _even = new();
    private readonly ArrayBufferWriter<float> _odd = new();

    /// <summary>Builds the chain; invalid options throw <see cref="ArgumentOutOfRangeException"/> from the stage concerned.</summary>
    public AudioPipeline(AudioPipelineOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        var stages = new List<AudioStage>(5);
        try
        {
            // Tempo runs first, at the engine's rate where its pitch tracking was tuned, and before any gain so its
            // 16-bit internals never see samples beyond full scale.
            stages.Add(new TempoChanger(options.InputSampleRate, options.Speed));
            stages.Add(new Resampler(options.InputSampleRate, options.OutputSampleRate, options.ResamplerQuality));
            stages.Add(new GainStage(options.Volume));
            if (options.NormalizeLoudness) stages.Add(new LoudnessNormalizer(options.OutputSampleRate, options.LoudnessTargetLufs));
            if (options.LimitPeaks) stages.Add(new PeakLimiter(options.OutputSampleRate, options.CeilingDb));
        }
        catch
        {
            foreach (var stage in stages) stage.Dispose();
            throw;
        }

        _stages = stages.Where(IsEffective).ToArray();
        foreach (var skipped in stages.Where(s => !IsEffective(s))) skipped.Dispose();
    }

    /// <summary>The options the chain was built from.</summary>
    public AudioPipelineOptions Options { get; }

    /// <summary>Output duration per input duration: 1 / speed.</summary>
    public double TimeScale => 1.0 / Options.Speed;

    /// <summary>The stages that actually run, in order (empty when the pipeline is an identity).</summary>
    internal IReadOnlyList<AudioStage> Stages => _stages;

    /// <summary>Maps a sample offset in the input stream to the matching offset in the output stream.</summary>
    public long MapSampleOffset(long inputOffset)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(inputOffset);
        return (long)Math.Round(inputOffset * (double)Options.OutputSampleRate / Options.InputSampleRate * TimeScale);
    }

    /// <summary>Maps a word boundary's offset and length from input samples to output samples.</summary>
    public WordBoundary Map(WordBoundary word)
    {
        ArgumentNullException.ThrowIfNull(word);
        return word with { SampleOffset = MapSampleOffset(word.SampleOffset), SampleLength = MapSampleOffset(word.SampleLength) };
    }

    /// <inheritdoc />
    protected override void ProcessCore(ReadOnlySpan<float> input, IBufferWriter<float> output)
    {
        if (_stages.Length == 0)
        {
            output.Write(input);
            return;
        }

        var current = input;
        for (var i = 0; i < _stages.Length; i++)
        {
            var last = i == _stages.Length - 1;
            var buffer = i % 2 == 0 ? _even : _odd;
            buffer.ResetWrittenCount();
            _stages[i].Process(current, last ? output : buffer);
            current = buffer.WrittenSpan;
        }
    }

    /// <inheritdoc />
    protected override void FlushCore(IBufferWriter<float> output)
    {
        // Each stage's tail runs through the stages after it before they flush in turn.
        ReadOnlySpan<float> carried = [];
        for (var i = 0; i < _stages.Length; i++)
        {
            var last = i == _stages.Length - 1;
            var buffer = i % 2 == 0 ? _even : _odd;
            buffer.ResetWrittenCount();
            var target = last ? output : buffer;
            _stages[i].Process(carried, target);
            _stages[i].Flush(target);
            carried = buffer.WrittenSpan;
        }
    }

    /// <inheritdoc />
    protected override void DisposeCore()
    {
        foreach (var stage in _stages) stage.Dispose();
    }

    private static bool IsEffective(AudioStage stage) => stage switch
    {
        TempoChanger tempo => !tempo.IsPassThrough,
        Resampler resampler => !resampler.IsPassThrough,
        GainStage gain => !gain.IsPassThrough,
        _ => true,
    };
}
