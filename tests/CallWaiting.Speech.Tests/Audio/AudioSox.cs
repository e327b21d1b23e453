using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace CallWaiting.Speech.Tests.Audio;

/// <summary>Runs the real sox CLI as an independent analyser of float samples (written as a float WAV).</summary>
internal static class AudioSox
{
    /// <summary>The fields of <c>sox FILE -n stat</c> the tests use.</summary>
    public sealed record Stat(double LengthSeconds, double Rms, double MaximumAmplitude, double RoughFrequency);

    public static Stat Analyse(float[] samples, int sampleRate)
    {
        var path = Path.Combine(Path.GetTempPath(), $"cw-audio-{Guid.NewGuid():N}.wav");
        try
        {
            File.WriteAllBytes(path, FloatWav(samples, sampleRate));
            var text = Run("sox", path, "-n", "stat");
            return new Stat(Field(text, "Length (seconds)"), Field(text, "RMS     amplitude"), Field(text, "Maximum amplitude"), Field(text, "Rough   frequency"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static double Field(string text, string name)
    {
        var line = text.Split('\n').FirstOrDefault(l => l.StartsWith(name, StringComparison.Ordinal))
                   ?? throw new InvalidOperationException($"sox stat printed no '{name}':\n{text}");
        return double.Parse(line[(line.IndexOf(':') + 1)..].Trim(), CultureInfo.InvariantCulture);
    }

    private static string Run(string file, params string[] arguments)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {file}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{file} failed ({process.ExitCode}): {stderr}");
        return stdout.Result + stderr; // sox prints stat to stderr
    }

    /// <summary>A WAVE_FORMAT_IEEE_FLOAT mono file with a fact chunk.</summary>
    private static byte[] FloatWav(float[] samples, int sampleRate)
    {
        using var stream = new MemoryStream();
        using var writer = new BinaryWriter(stream, Encoding.ASCII);
        var dataBytes = samples.Length * 4;
        writer.Write("RIFF"u8);
        writer.Write(4 + (8 + 18) + (8 + 4) + (8 + dataBytes));
        writer.Write("WAVE"u8);
        writer.Write("fmt "u8);
        writer.Write(18);
        writer.Write((short)3);
        writer.Write((short)1);
        writer.Write(sampleRate);
        writer.Write(sampleRate * 4);
        writer.Write((short)4);
        writer.Write((short)32);
        writer.Write((short)0);
        writer.Write("fact"u8);
        writer.Write(4);
        writer.Write(samples.Length);
        writer.Write("data"u8);
        writer.Write(dataBytes);
        foreach (var v in samples) writer.Write(v);
        writer.Flush();
        return stream.ToArray();
    }
}
