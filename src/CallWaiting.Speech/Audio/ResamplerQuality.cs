namespace CallWaiting.Speech.Audio;

/// <summary>libsoxr quality recipe for <see cref="Resampler"/>.</summary>
public enum ResamplerQuality
{
    /// <summary>SOXR_HQ: 20-bit precision, linear phase; ample for speech.</summary>
    High,

    /// <summary>SOXR_VHQ: 28-bit precision, at a higher CPU cost.</summary>
    VeryHigh,
}
