using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using CallWaiting.Speech.Codecs;

namespace CallWaiting.Speech.Tests.Support;

/// <summary>The real sox CLI (with opusdec for Opus) as an independent decoder and analyser of the audio under test.</summary>
internal static partial class Sox
{
    /// <summary>Writes mono PCM16 samples to a temporary WAV and returns sox's view of it.</summary>
    public static SoxStat Analyze(ReadOnlySpan<short> samples, int sampleRate)
    {
        using var files = new TempFiles();
        var path = files.NewPath("wav");
        WavFile.Write(path, samples, sampleRate);
        return Stat(path);
    }

    /// <summary>Writes mono float samples to a temporary float WAV and returns sox's view of it.</summary>
    public static SoxStat Analyze(ReadOnlySpan<float> samples, int sampleRate)
    {
        using var files = new TempFiles();
        var path = files.NewPath("wav");
        WavFile.Write(path, samples, sampleRate);
        return Stat(path);
    }

    /// <summary>sox's view of a file with a header; soxi reads its rate and channels.</summary>
    public static SoxStat Stat(string path)
    {
        var rate = int.Parse(Cli.Run("soxi", "-r", path).Stdout.Trim(), CultureInfo.InvariantCulture);
        var channels = int.Parse(Cli.Run("soxi", "-c", path).Stdout.Trim(), CultureInfo.InvariantCulture);
        return StatFields(path, rate, channels, []);
    }

    /// <summary>sox's view of a headerless file (PCM16, μ-law, A-law): the rate and channels are the ones sox is told.</summary>
    public static SoxStat Stat(string path, AudioFormat headerless, int sampleRate) =>
        StatFields(path, sampleRate, 1, RawInputType(headerless, sampleRate));

    /// <summary>Decodes an encoded file to PCM16 with sox, or opusdec for Opus (which sox 14.4 cannot read).</summary>
    public static Decoded Decode(byte[] encoded, AudioFormat format, int sampleRate)
    {
        using var files = new TempFiles();
        var input = files.Save(encoded, format);
        var raw = files.NewPath("raw");
        string[] toRaw = ["-t", "raw", "-e", "signed-integer", "-b", "16", "-c", "1", raw];
        switch (format)
        {
            case AudioFormat.Opus:
                var wav = files.NewPath("wav");
                OpusFile.DecodeToWav(input, wav);
                Cli.Run("sox", [wav, .. toRaw]);
                return new Decoded(ReadPcm16(raw), OpusFile.DecodedRate);
            case AudioFormat.Wav or AudioFormat.Mp3 or AudioFormat.Flac:
                var rate = int.Parse(Cli.Run("soxi", "-r", input).Stdout.Trim(), CultureInfo.InvariantCulture);
                Cli.Run("sox", [input, .. toRaw]);
                return new Decoded(ReadPcm16(raw), rate);
            default:
                Cli.Run("sox", [.. RawInputType(format, sampleRate), input, .. toRaw]);
                return new Decoded(ReadPcm16(raw), sampleRate);
        }
    }

    /// <summary>The sox options that describe a headerless file in this format.</summary>
    private static string[] RawInputType(AudioFormat format, int sampleRate)
    {
        var rate = sampleRate.ToString(CultureInfo.InvariantCulture);
        return format switch
        {
            AudioFormat.Pcm16 => ["-t", "raw", "-e", "signed-integer", "-b", "16", "-L", "-r", rate, "-c", "1"],
            AudioFormat.Mulaw => ["-t", "ul", "-r", rate, "-c", "1"],
            AudioFormat.Alaw => ["-t", "al", "-r", rate, "-c", "1"],
            _ => [],
        };
    }

    private static SoxStat StatFields(string path, int sampleRate, int channels, string[] inputType)
    {
        // sox stat reports on stderr.
        var report = Cli.Run("sox", [.. inputType, path, "-n", "stat"]).Stderr;
        var fields = new Dictionary<string, double>();
        foreach (Match m in StatLine().Matches(report))
        {
            fields[Regex.Replace(m.Groups[1].Value.Trim(), @"\s+", " ")] = double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
        }

        double Field(string name) =>
            fields.TryGetValue(name, out var value) ? value : throw new InvalidOperationException($"sox stat printed no '{name}':\n{report}");

        return new SoxStat(sampleRate, channels, (long)Field("Samples read"), Field("Length (seconds)"), Field("RMS amplitude"),
            Field("Maximum amplitude"), Field("Rough frequency"));
    }

    private static short[] ReadPcm16(string path) => MemoryMarshal.Cast<byte, short>(File.ReadAllBytes(path)).ToArray();

    [GeneratedRegex(@"^([A-Za-z][A-Za-z ()]+?):\s+(-?[0-9.]+(?:e[-+]?[0-9]+)?)\s*$", RegexOptions.Multiline)]
    private static partial Regex StatLine();
}
