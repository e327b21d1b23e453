namespace CallWaiting.Speech.Audio;

/// <summary>The sample rates the audio pipeline supports.</summary>
public static class AudioRates
{
    /// <summary>Lowest supported rate (narrow-band telephony).</summary>
    public const int Min = 8000;

    /// <summary>Highest supported rate.</summary>
    public const int Max = 48000;

    /// <summary>Throws unless <paramref name="sampleRate"/> lies in [<see cref="Min"/>, <see cref="Max"/>].</summary>
    public static void Validate(int sampleRate, string paramName)
    {
        if (sampleRate is < Min or > Max)
            throw new ArgumentOutOfRangeException(paramName, sampleRate, $"Sample rate must be between {Min} and {Max} Hz.");
    }
}
