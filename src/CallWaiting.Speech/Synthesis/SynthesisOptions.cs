namespace CallWaiting.Speech.Synthesis;

/// <summary>Server-wide synthesis settings.</summary>
public sealed record SynthesisOptions
{
    /// <summary>Slowest accepted speed.</summary>
    public const double MinSpeed = 0.5;

    /// <summary>Fastest accepted speed.</summary>
    public const double MaxSpeed = 2.0;

    /// <summary>Lowest accepted output sample rate.</summary>
    public const int MinSampleRate = 8000;

    /// <summary>Highest accepted output sample rate.</summary>
    public const int MaxSampleRate = 48000;

    /// <summary>Silence added after each sentence, on top of what the engine leaves.</summary>
    public TimeSpan SentenceSilence { get; init; } = TimeSpan.FromMilliseconds(120);

    /// <summary>Hard cap on the audio one request may produce; the stream ends there.</summary>
    public TimeSpan MaxOutputDuration { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>Limit peaks to this ceiling so nothing clips.</summary>
    public bool LimitPeaks { get; init; } = true;
}
