namespace CallWaiting.Speech.Audio;

/// <summary>Makes stretches of digital silence (pauses, SSML breaks).</summary>
public static class Silence
{
    /// <summary>Longest silence one call may make; longer requests are bugs, not pauses.</summary>
    public static readonly TimeSpan MaxDuration = TimeSpan.FromMinutes(5);

    /// <summary>Number of samples in <paramref name="duration"/> at <paramref name="sampleRate"/>, rounded to nearest.</summary>
    public static int SampleCount(int sampleRate, TimeSpan duration)
    {
        AudioRates.Validate(sampleRate, nameof(sampleRate));
        if (duration < TimeSpan.Zero || duration > MaxDuration)
            throw new ArgumentOutOfRangeException(nameof(duration), duration, $"Silence must last between 0 and {MaxDuration}.");
        return (int)Math.Round(duration.TotalSeconds * sampleRate);
    }

    /// <summary>Returns <paramref name="duration"/> of zero samples at <paramref name="sampleRate"/>.</summary>
    public static float[] Create(int sampleRate, TimeSpan duration) => new float[SampleCount(sampleRate, duration)];

    /// <summary>Returns a chunk of <paramref name="duration"/> of silence without word boundaries.</summary>
    public static AudioChunk Chunk(int sampleRate, TimeSpan duration) => AudioChunk.Of(Create(sampleRate, duration), sampleRate);
}
