using System.Globalization;

namespace CallWaiting.Testing;

/// <summary>Decodes API audio with the real `sox` CLI (an independent decoder) and reports rate, length and loudness.</summary>
public static class ServerAudio
{
    /// <summary>What sox measured.</summary>
    public sealed record Stats(int SampleRate, double Seconds, double RmsAmplitude);

    /// <summary>Analyzes a self-describing file (wav, mp3): the rate from its header, length and RMS from decoding it.</summary>
    public static async Task<Stats> AnalyzeAsync(byte[] audio, string extension)
    {
        var path = await WriteAsync(audio, extension);
        try
        {
            var rate = int.Parse((await RunAsync("soxi", "-r", path)).Trim(), CultureInfo.InvariantCulture);
            var (seconds, rms) = Parse(await RunAsync("sox", path, "-n", "stat"));
            return new Stats(rate, seconds, rms);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Analyzes headerless audio: sox type "raw" (16-bit signed LE) or "ul"/"al" (G.711) at a known rate.</summary>
    public static async Task<Stats> AnalyzeRawAsync(byte[] audio, string soxType, int sampleRate)
    {
        var path = await WriteAsync(audio, soxType);
        try
        {
            var format = soxType == "raw" ? new[] { "-t", "raw", "-e", "signed-integer", "-b", "16", "-L" } : new[] { "-t", soxType };
            var (seconds, rms) = Parse(await RunAsync("sox", [.. format, "-r", sampleRate.ToString(CultureInfo.InvariantCulture), "-c", "1", path, "-n", "stat"]));
            return new Stats(sampleRate, seconds, rms);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>
    /// The frame count and rate that Python's wave module reads from a WAV's header (it trusts the sizes, as many players
    /// do: a streamed header's "unknown" sizes read as hours), and the samples sox decodes from the data to its end.
    /// </summary>
    public static async Task<(long HeaderFrames, int Rate, long DecodedSamples)> WaveFramesAsync(byte[] wav)
    {
        var path = await WriteAsync(wav, "wav");
        try
        {
            var wave = (await RunAsync("python3", "-c", "import sys, wave\nw = wave.open(sys.argv[1], 'rb')\nprint(w.getnframes(), w.getframerate())", path))
                .Split(' ', StringSplitOptions.TrimEntries);
            // --ignore-length: sox decodes the data to its end, whatever the header says.
            var stat = await RunAsync("sox", "--ignore-length", path, "-n", "stat");
            var samples = long.Parse(stat.Split('\n').First(l => l.StartsWith("Samples read", StringComparison.Ordinal)).Split(':')[1].Trim(), CultureInfo.InvariantCulture);
            return (long.Parse(wave[0], CultureInfo.InvariantCulture), int.Parse(wave[1], CultureInfo.InvariantCulture), samples);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static async Task<string> WriteAsync(byte[] audio, string extension)
    {
        var path = Path.Combine(Path.GetTempPath(), $"cw-api-{Guid.NewGuid():N}.{extension}");
        await File.WriteAllBytesAsync(path, audio);
        return path;
    }

    private static (double Seconds, double Rms) Parse(string stat)
    {
        double Value(string label) => double.Parse(
            stat.Split('\n').First(l => l.StartsWith(label, StringComparison.Ordinal)).Split(':')[1].Trim(), CultureInfo.InvariantCulture);
        return (Value("Length (seconds)"), Value("RMS     amplitude"));
    }

    /// <summary>
    /// Decodes Ogg Opus with opusdec (at 48 kHz) and measures it, and reads the "original sample rate" of its OpusHead;
    /// unless <paramref name="partial"/> (a stream still in progress) opusinfo must find no fault.
    /// </summary>
    public static async Task<(Stats Decoded, int OriginalRate)> AnalyzeOpusAsync(byte[] audio, bool partial = false)
    {
        var folder = Directory.CreateTempSubdirectory("cw-opus-").FullName;
        try
        {
            var opus = Path.Combine(folder, "audio.opus");
            var wav = Path.Combine(folder, "audio.wav");
            await File.WriteAllBytesAsync(opus, audio);
            var rate = OpusFile.OriginalRate(opus, partial);
            OpusFile.DecodeToWav(opus, wav);
            return (await AnalyzeAsync(await File.ReadAllBytesAsync(wav), "wav"), rate);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>
    /// Runs an audio tool (sox, soxi, opusinfo…) and returns its standard output and error together (sox writes
    /// `stat` to standard error); a non-zero exit throws with that output unless <paramref name="mayFail"/>.
    /// </summary>
    public static async Task<string> RunToolAsync(string program, IEnumerable<string> args, bool mayFail = false)
    {
        var result = await ProcessRunner.RunAsync(program, args);
        var output = result.StandardOutput + result.StandardError;
        return result.ExitCode == 0 || mayFail ? output : throw new InvalidOperationException($"{program} exited with {result.ExitCode}: {output}");
    }

    private static Task<string> RunAsync(string program, params string[] args) => RunToolAsync(program, args);
}
