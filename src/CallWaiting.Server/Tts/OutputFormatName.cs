using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using CallWaiting.Speech.Codecs;

namespace CallWaiting.Server.Tts;

/// <summary>
/// ElevenLabs-style output format names, <c>codec_rate[_kbps]</c>: mp3_22050_32, mp3_44100_128, pcm_8000 … pcm_48000,
/// ulaw_8000, alaw_8000, opus_48000_64. mp3 and opus need a bitrate; pcm, ulaw and alaw take none; the rate must be one
/// the codec supports.
/// </summary>
/// <param name="Format">The codec.</param>
/// <param name="SampleRate">Output sample rate in Hz.</param>
/// <param name="BitrateKbps">Bitrate in kbit/s for mp3 and opus, else null.</param>
public sealed record OutputFormatName(AudioFormat Format, int SampleRate, int? BitrateKbps)
{
    /// <summary>Names to quote in error messages.</summary>
    public const string Examples = "mp3_22050_32, mp3_44100_128, pcm_8000 … pcm_48000, ulaw_8000, alaw_8000, opus_48000_64";

    /// <summary>Parses a name; false for anything that is not a supported codec, rate and bitrate combination.</summary>
    public static bool TryParse(string? name, [NotNullWhen(true)] out OutputFormatName? parsed)
    {
        parsed = null;
        if (string.IsNullOrEmpty(name) || name.Length > 32) return false;
        var parts = name.Split('_');
        if (parts.Length is < 2 or > 3) return false;
        AudioFormat? format = parts[0] switch
        {
            "mp3" => AudioFormat.Mp3,
            "opus" => AudioFormat.Opus,
            "pcm" => AudioFormat.Pcm16,
            "ulaw" => AudioFormat.Mulaw,
            "alaw" => AudioFormat.Alaw,
            _ => null,
        };
        if (format is not { } f || !TryNumber(parts[1], out var rate) || !AudioFormats.IsSupportedSampleRate(f, rate)) return false;

        var lossy = f is AudioFormat.Mp3 or AudioFormat.Opus;
        if (lossy != (parts.Length == 3)) return false;
        int? bitrate = null;
        if (lossy)
        {
            if (!TryNumber(parts[2], out var kbps) || kbps is < 6 or > 510) return false;
            bitrate = kbps;
        }
        parsed = new OutputFormatName(f, rate, bitrate);
        return true;
    }

    private static bool TryNumber(string text, out int value) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && text.Length < 7 && text[0] != '0';
}
