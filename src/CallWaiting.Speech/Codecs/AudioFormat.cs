namespace CallWaiting.Speech.Codecs;

/// <summary>Output container/codec for synthesized audio.</summary>
/// <remarks>Names, content types and sample-rate rules for each value live in <see cref="AudioFormats"/>.</remarks>
public enum AudioFormat
{
    /// <summary>RIFF WAVE, PCM16 mono.</summary>
    Wav,
    /// <summary>Raw PCM16 little-endian mono.</summary>
    Pcm16,
    /// <summary>G.711 μ-law, raw.</summary>
    Mulaw,
    /// <summary>G.711 A-law, raw.</summary>
    Alaw,
    /// <summary>MPEG-1/2 Layer III.</summary>
    Mp3,
    /// <summary>Opus in Ogg.</summary>
    Opus,
    /// <summary>FLAC, native container.</summary>
    Flac,
}
