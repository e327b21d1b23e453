using CallWaiting.Speech.Codecs;

namespace CallWaiting.Speech.Synthesis;

/// <summary>What a caller wants spoken, and how.</summary>
public sealed record SynthesisRequest
{
    /// <summary>Plain text, or SSML when <see cref="Ssml"/> is set or the text starts with &lt;speak&gt;.</summary>
    public required string Text { get; init; }

    /// <summary>Voice slug or UUID from the <see cref="VoiceCatalog"/>.</summary>
    public required string Voice { get; init; }

    /// <summary>Speaking speed, 0.5–2.0; pitch is preserved.</summary>
    public double Speed { get; init; } = 1.0;

    /// <summary>Output format; it decides the default sample rate and which rates are allowed.</summary>
    public AudioFormat Format { get; init; } = AudioFormat.Wav;

    /// <summary>Output sample rate in Hz (8000–48000); null takes the format's default, else the voice's native rate.</summary>
    public int? SampleRate { get; init; }

    /// <summary>Treat <see cref="Text"/> as SSML.</summary>
    public bool Ssml { get; init; }

    /// <summary>Random seed for engines that sample; deterministic engines ignore it.</summary>
    public int? Seed { get; init; }

    /// <summary>Normalize loudness towards the configured target (on top of peak limiting).</summary>
    public bool NormalizeLoudness { get; init; }

    /// <summary>
    /// A second tempo stage (0.5–2.0) applied when the audio is encoded, so speeds beyond <see cref="Speed"/>'s range
    /// compose as speed × tempo; 1 for none.
    /// </summary>
    public double Tempo { get; init; } = 1.0;
}
