using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using CallWaiting.Speech.Codecs;

namespace CallWaiting.Speech.Tests.Codecs;

/// <summary>Audio decoded by an independent tool: 16-bit mono samples and the rate the tool reports.</summary>
internal sealed record CodecsDecoded(short[] Samples, int SampleRate)
{
    public double Seconds => (double)Samples.Length / SampleRate;
}

/// <summary>Runs the reference CLIs (sox, soxi, opusinfo, opusdec, flac) on encoder output, in a private temp folder.</summary>
internal sealed partial class CodecsTools : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly string _folder = Directory.CreateTempSubdirectory("callwaiting-codecs-").FullName;
    private int _counter;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>Writes <paramref name="bytes"/> to a fresh file named for the format.</summary>
    public string Save(byte[] bytes, AudioFormat format)
    {
        var path = NewPath(AudioFormats.FileExtension(format));
        File.WriteAllBytes(path, bytes);
        return path;
    }

    public string NewPath(string extension) =>
        Path.Combine(_folder, $"f{Interlocked.Increment(ref _counter)}.{extension}");

    /// <summary>Decodes an encoded file with sox (opusdec for Opus, which sox 14.4 cannot read) to PCM16.</summary>
    public CodecsDecoded Decode(byte[] encoded, AudioFormat format, int sampleRate)
    {
        var input = Save(encoded, format);
        var raw = NewPath("raw");
        switch (format)
        {
            case AudioFormat.Opus:
                var wav = NewPath("wav");
                Run("opusdec", "--quiet", "--rate", "48000", input, wav);
                Run("sox", wav, "-t", "raw", "-e", "signed-integer", "-b", "16", "-c", "1", raw);
                return new CodecsDecoded(ReadPcm16(raw), 48000);
            case AudioFormat.Wav or AudioFormat.Mp3 or AudioFormat.Flac:
                var rate = int.Parse(Run("soxi", "-r", input).Stdout.Trim(), CultureInfo.InvariantCulture);
                Run("sox", input, "-t", "raw", "-e", "signed-integer", "-b", "16", "-c", "1", raw);
                return new CodecsDecoded(ReadPcm16(raw), rate);
            default:
                Run("sox", [.. RawInputType(format, sampleRate), input, "-t", "raw", "-e", "signed-integer", "-b", "16", "-c", "1", raw]);
                return new CodecsDecoded(ReadPcm16(raw), sampleRate);
        }
    }

    /// <summary>The sox options that describe a headerless file in this format.</summary>
    public static string[] RawInputType(AudioFormat format, int sampleRate)
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

    /// <summary>Runs <c>sox FILE -n stat</c> and returns its fields (e.g. "RMS amplitude", "Rough frequency").</summary>
    public Dictionary<string, double> SoxStat(string path, params string[] inputType)
    {
        var result = Run("sox", [.. inputType, path, "-n", "stat"]);
        var fields = new Dictionary<string, double>();
        foreach (Match m in StatLine().Matches(result.Stderr))
        {
            fields[Regex.Replace(m.Groups[1].Value.Trim(), @"\s+", " ")] = double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
        }
        return fields;
    }

    /// <summary>Runs a tool and fails the test on a non-zero exit code or a timeout.</summary>
    public static (string Stdout, string Stderr) Run(string tool, params string[] args)
    {
        var (code, stdout, stderr) = TryRun(tool, args);
        Assert.True(code == 0, $"{tool} {string.Join(' ', args)} exited with {code}: {stderr}{stdout}");
        return (stdout, stderr);
    }

    /// <summary>Runs a tool and returns its exit code and output.</summary>
    public static (int ExitCode, string Stdout, string Stderr) TryRun(string tool, params string[] args)
    {
        var start = new ProcessStartInfo(tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {tool}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{tool} did not finish within {Timeout}.");
        }
        return (process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
    }

    private static short[] ReadPcm16(string path) => MemoryMarshal.Cast<byte, short>(File.ReadAllBytes(path)).ToArray();

    [GeneratedRegex(@"^([A-Za-z][A-Za-z ()]+?):\s+(-?[0-9.]+(?:e[-+]?[0-9]+)?)\s*$", RegexOptions.Multiline)]
    private static partial Regex StatLine();
}
