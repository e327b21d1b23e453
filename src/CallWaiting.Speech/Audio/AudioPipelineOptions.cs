namespace CallWaiting.Speech.Audio;

/// <summary>What an <see cref="AudioPipeline"/> does to an engine's audio before encoding.</summary>
/// <param name="InputSampleRate">Rate of the engine's samples (8–48 kHz).</param>
/// <param name="OutputSampleRate">Rate the client asked for (8–48 kHz).</param>
public sealed record AudioPipelineOptions(int InputSampleRate, int OutputSampleRate)
{
    /// <summary>Playback speed 0.5–2.0 (pitch kept); 1.0 skips the tempo stage.</summary>
    public double Speed { get; init; } = 1.0;

    /// <summary>Linear volume multiplier 0–<see cref="GainStage.MaxGain"/>; 1.0 skips the gain stage.</summary>
    public double Volume { get; init; } = 1.0;

    /// <summary>Whether to steer the level towards <see cref="LoudnessTargetLufs"/>.</summary>
    public bool NormalizeLoudness { get; init; }

    /// <summary>Loudness target used when <see cref="NormalizeLoudness"/> is set.</summary>
    public double LoudnessTargetLufs { get; init; } = LoudnessNormalizer.DefaultTargetLufs;

    /// <summary>Whether a look-ahead limiter keeps peaks under <see cref="CeilingDb"/>.</summary>
    public bool LimitPeaks { get; init; } = true;

    /// <summary>Peak ceiling in dBFS used when <see cref="LimitPeaks"/> is set.</summary>
    public double CeilingDb { get; init; } = PeakLimiter.DefaultCeilingDb;

    /// <summary>libsoxr quality used when the rates differ.</summary>
    public ResamplerQuality ResamplerQuality { get; init; } = ResamplerQuality.High;
}
