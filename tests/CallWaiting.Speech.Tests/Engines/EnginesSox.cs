using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace CallWaiting.Speech.Tests.Engines;

/// <summary>Writes engine output to WAV and checks it with the real sox CLI, an independent decoder.</summary>
internal static class EnginesSox
{
    /// <summary>What sox reports about a file.</summary>
    public sealed record Report(int SampleRate, int Channels, double Seconds, double RmsAmplitude);

    /// <summary>Writes mono PCM16 samples as a canonical 44-byte-header WAV file.</summary>
    public static void WriteWav(string path, ReadOnlySpan<short> samples, int sampleRate)
    {
        using var stream = File.Create(path);
        using var writer = new BinaryWriter(stream, Encoding.ASCII);
        var dataBytes = samples.Length * 2;
        writer.Write("RIFF"u8);
        writer.Write(36 + dataBytes);
        writer.Write("WAVEfmt "u8);
        writer.Write(16);
        writer.Write((short)1);
        writer.Write((short)1);
        writer.Write(sampleRate);
        writer.Write(sampleRate * 2);
        writer.Write((short)2);
        writer.Write((short)16);
        writer.Write("data"u8);
        writer.Write(dataBytes);
        foreach (var s in samples) writer.Write(s);
    }

    /// <summary>Writes the samples to a temporary WAV and returns sox's view of it.</summary>
    public static Report Analyze(ReadOnlySpan<short> samples, int sampleRate)
    {
        var path = Path.Combine(Path.GetTempPath(), $"cw-engines-{Guid.NewGuid():N}.wav");
        try
        {
            WriteWav(path, samples, sampleRate);
            var rate = int.Parse(Run("soxi", "-r", path).Trim(), CultureInfo.InvariantCulture);
            var channels = int.Parse(Run("soxi", "-c", path).Trim(), CultureInfo.InvariantCulture);
            var stat = Run("sox", path, "-n", "stat");
            return new Report(rate, channels, StatValue(stat, "Length (seconds)"), StatValue(stat, "RMS     amplitude"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static double StatValue(string stat, string label)
    {
        var match = Regex.Match(stat, "^" + Regex.Escape(label) + @":\s*(\S+)", RegexOptions.Multiline);
        Assert.True(match.Success, $"sox stat has no '{label}':\n{stat}");
        return double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    private static string Run(string tool, params string[] arguments)
    {
        var info = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{tool} failed ({process.ExitCode}): {stderr.Result}");
        // sox stat writes its report to stderr.
        return stdout + stderr.Result;
    }
}
