using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using CallWaiting.Speech.Audio;

namespace CallWaiting.Speech.Tests.Workers;

/// <summary>Checks audio that came through the worker pool with the real sox CLI, an independent decoder.</summary>
internal static class WorkersSox
{
    /// <summary>What sox reports about a file.</summary>
    public sealed record Report(int SampleRate, double Seconds, double RmsAmplitude);

    /// <summary>Writes the samples to a temporary 16-bit WAV and returns sox's view of it.</summary>
    public static Report Analyze(float[] samples, int sampleRate)
    {
        var path = Path.Combine(Path.GetTempPath(), $"cw-workers-{Guid.NewGuid():N}.wav");
        try
        {
            WriteWav(path, samples, sampleRate);
            var rate = int.Parse(Run("soxi", "-r", path).Trim(), CultureInfo.InvariantCulture);
            var stat = Run("sox", path, "-n", "stat");
            return new Report(rate, Value(stat, "Length (seconds)"), Value(stat, "RMS     amplitude"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static void WriteWav(string path, float[] samples, int sampleRate)
    {
        var pcm = new short[samples.Length];
        Pcm.FloatToPcm16(samples, pcm);
        using var writer = new BinaryWriter(File.Create(path), Encoding.ASCII);
        writer.Write("RIFF"u8);
        writer.Write(36 + pcm.Length * 2);
        writer.Write("WAVEfmt "u8);
        writer.Write(16);
        writer.Write((short)1);
        writer.Write((short)1);
        writer.Write(sampleRate);
        writer.Write(sampleRate * 2);
        writer.Write((short)2);
        writer.Write((short)16);
        writer.Write("data"u8);
        writer.Write(pcm.Length * 2);
        foreach (var s in pcm) writer.Write(s);
    }

    private static double Value(string stat, string label)
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
        return stdout + stderr.Result; // sox stat reports on stderr.
    }
}
