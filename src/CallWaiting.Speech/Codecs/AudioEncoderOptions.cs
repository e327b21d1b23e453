namespace CallWaiting.Speech.Codecs;

/// <summary>Tuning for the lossy and compressed encoders; every member has a sensible default.</summary>
public sealed record AudioEncoderOptions
{
    /// <summary>Shared instance with every default.</summary>
    public static AudioEncoderOptions Default { get; } = new();

    /// <summary>
    /// Constant MP3 bitrate in kbit/s; null picks one by sample rate (16 at 8 kHz up to 128 at 44.1/48 kHz).
    /// Must be in the bitrate table of the MPEG version the rate belongs to, as LAME has it: MPEG-1 (32–48 kHz)
    /// 32–320, MPEG-2 (16–24 kHz) 8–160, MPEG-2.5 (8–12 kHz) 8–64.
    /// </summary>
    public int? Mp3BitrateKbps { get; init; }

    /// <summary>
    /// LAME's algorithm quality, 0 (best, slowest) to 9 (worst, fastest). The default is 7, LAME's own fast mode (-f):
    /// at the low bitrates speech uses, it sounds the same as 5 and costs about 40% less, which matters because MP3
    /// encoding would otherwise cost a tenth of flite's synthesis time (see docs/BENCHMARKS.md).
    /// </summary>
    public int Mp3Quality { get; init; } = 7;

    /// <summary>Opus target bitrate in kbit/s (6–510); null picks one by sample rate (16 at 8 kHz up to 48 at 48 kHz).</summary>
    public int? OpusBitrateKbps { get; init; }

    /// <summary>Opus encoder complexity, 0 (fastest) to 10 (best).</summary>
    public int OpusComplexity { get; init; } = 10;

    /// <summary>
    /// How much audio each Ogg page carries, in milliseconds (a multiple of the 20 ms Opus frame, 20–1000).
    /// Smaller pages reach the listener sooner; larger ones spend fewer bytes on page headers.
    /// </summary>
    public int OggPageDurationMs { get; init; } = 100;

    /// <summary>
    /// Ogg logical-stream serial number; null draws a random one per stream, as the Ogg spec recommends.
    /// Fix it to make Opus output byte-for-byte reproducible (e.g. for caching or tests).
    /// </summary>
    public int? OggSerialNumber { get; init; }

    /// <summary>FLAC compression level, 0 (fastest) to 8 (smallest), as in the flac tool.</summary>
    public int FlacCompressionLevel { get; init; } = 5;
}
