using System.Diagnostics.CodeAnalysis;

namespace CallWaiting.Speech.Codecs;

/// <summary>Names, content types, file extensions and sample-rate rules of the <see cref="AudioFormat"/> values.</summary>
public static class AudioFormats
{
    /// <summary>Lowest sample rate any encoder accepts.</summary>
    public const int MinSampleRate = 8000;

    /// <summary>Highest sample rate any encoder accepts.</summary>
    public const int MaxSampleRate = 48000;

    // Ascending; the Opus encoder only runs at these rates (RFC 6716 §2).
    private static readonly int[] OpusRates = [8000, 12000, 16000, 24000, 48000];

    // Ascending; the MPEG-1, MPEG-2 and MPEG-2.5 rates LAME can write without resampling.
    private static readonly int[] Mp3Rates = [8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000];

    private static readonly IReadOnlyList<int> OpusRateList = Array.AsReadOnly(OpusRates);
    private static readonly IReadOnlyList<int> Mp3RateList = Array.AsReadOnly(Mp3Rates);

    /// <summary>Every format, in declaration order.</summary>
    public static IReadOnlyList<AudioFormat> All { get; } = Enum.GetValues<AudioFormat>();

    /// <summary>Parses a format name: wav, mp3, pcm16 (or pcm), ulaw (or mulaw), alaw, opus, flac; case-insensitive.</summary>
    /// <exception cref="ArgumentException">The name is not a known format.</exception>
    public static AudioFormat Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return TryParse(name, out var format)
            ? format
            : throw new ArgumentException($"Unknown audio format '{name}'. Expected one of: wav, mp3, pcm16, ulaw, alaw, opus, flac.", nameof(name));
    }

    /// <summary>Parses a format name as <see cref="Parse"/> does; returns false for unknown or null names.</summary>
    public static bool TryParse([NotNullWhen(true)] string? name, out AudioFormat format)
    {
        format = default;
        if (name is null) return false;
        AudioFormat? parsed = name.Trim().ToLowerInvariant() switch
        {
            "wav" or "wave" => AudioFormat.Wav,
            "pcm16" or "pcm" => AudioFormat.Pcm16,
            "ulaw" or "mulaw" or "μlaw" or "pcmu" => AudioFormat.Mulaw,
            "alaw" or "pcma" => AudioFormat.Alaw,
            "mp3" => AudioFormat.Mp3,
            "opus" => AudioFormat.Opus,
            "flac" => AudioFormat.Flac,
            _ => null,
        };
        if (parsed is null) return false;
        format = parsed.Value;
        return true;
    }

    /// <summary>The canonical lower-case name of a format (the one <see cref="Parse"/> documents first).</summary>
    public static string Name(AudioFormat format) => format switch
    {
        AudioFormat.Wav => "wav",
        AudioFormat.Pcm16 => "pcm16",
        AudioFormat.Mulaw => "ulaw",
        AudioFormat.Alaw => "alaw",
        AudioFormat.Mp3 => "mp3",
        AudioFormat.Opus => "opus",
        AudioFormat.Flac => "flac",
        _ => throw UnknownFormat(format),
    };

    /// <summary>The HTTP content type of a mono stream in this format at this sample rate.</summary>
    /// <remarks>
    /// PCM16 keeps the API contract's <c>audio/L16</c> even though RFC 2586 defines L16 as big-endian:
    /// our raw PCM is little-endian, as the original service sent it. μ-law at 8 kHz is <c>audio/basic</c>
    /// (RFC 2046); other G.711 streams use the RTP names PCMU/PCMA with their rate (RFC 4856).
    /// </remarks>
    public static string ContentType(AudioFormat format, int sampleRate) => format switch
    {
        AudioFormat.Wav => "audio/wav",
        AudioFormat.Pcm16 => $"audio/L16; rate={sampleRate}; channels=1",
        AudioFormat.Mulaw => sampleRate == 8000 ? "audio/basic" : $"audio/PCMU; rate={sampleRate}",
        AudioFormat.Alaw => $"audio/PCMA; rate={sampleRate}",
        AudioFormat.Mp3 => "audio/mpeg",
        AudioFormat.Opus => "audio/ogg; codecs=opus",
        AudioFormat.Flac => "audio/flac",
        _ => throw UnknownFormat(format),
    };

    /// <summary>The file extension (without the dot) for a file in this format; G.711 uses sox's <c>ul</c>/<c>al</c>.</summary>
    public static string FileExtension(AudioFormat format) => format switch
    {
        AudioFormat.Wav => "wav",
        AudioFormat.Pcm16 => "pcm",
        AudioFormat.Mulaw => "ul",
        AudioFormat.Alaw => "al",
        AudioFormat.Mp3 => "mp3",
        AudioFormat.Opus => "opus",
        AudioFormat.Flac => "flac",
        _ => throw UnknownFormat(format),
    };

    /// <summary>
    /// The sample rate to use when the client asks for none: 8000 for G.711 (telephony), 48000 for Opus
    /// (what every Opus decoder outputs), 24000 for raw PCM16 (the seed's contract: headerless audio needs
    /// a rate the client can know in advance), and null for the rest, meaning "keep the engine's rate".
    /// </summary>
    public static int? DefaultSampleRate(AudioFormat format) => format switch
    {
        AudioFormat.Mulaw or AudioFormat.Alaw => 8000,
        AudioFormat.Opus => 48000,
        AudioFormat.Pcm16 => 24000,
        AudioFormat.Wav or AudioFormat.Mp3 or AudioFormat.Flac => null,
        _ => throw UnknownFormat(format),
    };

    /// <summary>
    /// Whether the encoder for <paramref name="format"/> accepts <paramref name="sampleRate"/>:
    /// Opus only 8, 12, 16, 24 and 48 kHz; MP3 only the MPEG rates (8000, 11025, 12000, 16000, 22050,
    /// 24000, 32000, 44100, 48000); every other format any rate from 8000 to 48000.
    /// </summary>
    public static bool IsSupportedSampleRate(AudioFormat format, int sampleRate) => format switch
    {
        AudioFormat.Opus => Array.BinarySearch(OpusRates, sampleRate) >= 0,
        AudioFormat.Mp3 => Array.BinarySearch(Mp3Rates, sampleRate) >= 0,
        AudioFormat.Wav or AudioFormat.Pcm16 or AudioFormat.Mulaw or AudioFormat.Alaw or AudioFormat.Flac
            => sampleRate is >= MinSampleRate and <= MaxSampleRate,
        _ => throw UnknownFormat(format),
    };

    /// <summary>
    /// The only rates <paramref name="format"/> accepts, ascending, when it takes a fixed set (Opus, MP3); empty when it
    /// takes any rate from <see cref="MinSampleRate"/> to <see cref="MaxSampleRate"/>.
    /// </summary>
    public static IReadOnlyList<int> SupportedSampleRates(AudioFormat format) => format switch
    {
        AudioFormat.Opus => OpusRateList,
        AudioFormat.Mp3 => Mp3RateList,
        AudioFormat.Wav or AudioFormat.Pcm16 or AudioFormat.Mulaw or AudioFormat.Alaw or AudioFormat.Flac => [],
        _ => throw UnknownFormat(format),
    };

    /// <summary>
    /// The supported rate to resample to when <paramref name="sampleRate"/> is not supported: the lowest
    /// supported rate at or above it (so no bandwidth is lost), or the highest supported rate when it is above
    /// them all. Returns <paramref name="sampleRate"/> itself when it is already supported.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The rate is not positive.</exception>
    public static int NearestSupportedSampleRate(AudioFormat format, int sampleRate)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleRate);
        if (IsSupportedSampleRate(format, sampleRate)) return sampleRate;
        var rates = format switch
        {
            AudioFormat.Opus => OpusRates,
            AudioFormat.Mp3 => Mp3Rates,
            _ => null,
        };
        if (rates is null) return Math.Clamp(sampleRate, MinSampleRate, MaxSampleRate);
        foreach (var rate in rates)
        {
            if (rate >= sampleRate) return rate;
        }
        return rates[^1];
    }

    private static ArgumentOutOfRangeException UnknownFormat(AudioFormat format) =>
        new(nameof(format), format, "Unknown audio format.");
}
