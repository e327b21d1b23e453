using System.Text;

namespace CallWaiting.Speech.Tests.Support;

/// <summary>Writes mono WAV files by hand, independently of the encoders under test, for sox to read.</summary>
internal static class WavFile
{
    private const short FormatPcm = 1;
    private const short FormatIeeeFloat = 3;

    /// <summary>16-bit PCM with the canonical 44-byte header.</summary>
    public static void Write(string path, ReadOnlySpan<short> samples, int sampleRate)
    {
        using var writer = Open(path, sampleRate, FormatPcm, sizeof(short), samples.Length);
        foreach (var s in samples) writer.Write(s);
    }

    /// <summary>32-bit float (WAVE_FORMAT_IEEE_FLOAT), so levels are measured without 16-bit rounding or clipping.</summary>
    public static void Write(string path, ReadOnlySpan<float> samples, int sampleRate)
    {
        using var writer = Open(path, sampleRate, FormatIeeeFloat, sizeof(float), samples.Length);
        foreach (var v in samples) writer.Write(v);
    }

    private static BinaryWriter Open(string path, int sampleRate, short format, short bytesPerSample, int sampleCount)
    {
        // Non-PCM formats need the 18-byte fmt chunk (with cbSize) and a fact chunk.
        var isPcm = format == FormatPcm;
        var fmtBytes = isPcm ? 16 : 18;
        var factBytes = isPcm ? 0 : 8 + 4;
        var dataBytes = sampleCount * bytesPerSample;
        var writer = new BinaryWriter(File.Create(path), Encoding.ASCII);
        writer.Write("RIFF"u8);
        writer.Write(4 + (8 + fmtBytes) + factBytes + (8 + dataBytes));
        writer.Write("WAVEfmt "u8);
        writer.Write(fmtBytes);
        writer.Write(format);
        writer.Write((short)1);
        writer.Write(sampleRate);
        writer.Write(sampleRate * bytesPerSample);
        writer.Write(bytesPerSample);
        writer.Write((short)(bytesPerSample * 8));
        if (!isPcm)
        {
            writer.Write((short)0);
            writer.Write("fact"u8);
            writer.Write(4);
            writer.Write(sampleCount);
        }
        writer.Write("data"u8);
        writer.Write(dataBytes);
        return writer;
    }
}
