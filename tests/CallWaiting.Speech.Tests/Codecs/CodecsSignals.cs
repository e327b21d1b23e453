using System.Buffers;
using CallWaiting.Speech.Codecs;

namespace CallWaiting.Speech.Tests.Codecs;

/// <summary>Test signals, measurements on decoded audio, and streaming through irregular blocks.</summary>
internal static class CodecsSignals
{
    /// <summary>A sine of <paramref name="frequency"/> Hz.</summary>
    public static float[] Sine(double frequency, int sampleRate, double seconds, double amplitude = 0.5)
    {
        var samples = new float[(int)Math.Round(seconds * sampleRate)];
        for (var i = 0; i < samples.Length; i++) samples[i] = (float)(amplitude * Math.Sin(2 * Math.PI * frequency * i / sampleRate));
        return samples;
    }

    /// <summary>Speech-like test content: a 200→2000 Hz (capped below Nyquist) chirp plus two steady tones, with an envelope.</summary>
    public static float[] Content(int sampleRate, double seconds)
    {
        var samples = new float[(int)Math.Round(seconds * sampleRate)];
        var top = Math.Min(2000.0, sampleRate * 0.4);
        var phase = 0.0;
        for (var i = 0; i < samples.Length; i++)
        {
            var t = (double)i / sampleRate;
            var f = 200 + (top - 200) * t / seconds;
            phase += 2 * Math.PI * f / sampleRate;
            var envelope = 0.6 + 0.4 * Math.Sin(2 * Math.PI * 3 * t);
            samples[i] = (float)(envelope * (0.3 * Math.Sin(phase) + 0.15 * Math.Sin(2 * Math.PI * 440 * t) + 0.1 * Math.Sin(2 * Math.PI * 1250 * t)));
        }
        return samples;
    }

    /// <summary>Root mean square of PCM16 samples, as a fraction of full scale.</summary>
    public static double Rms(ReadOnlySpan<short> samples)
    {
        if (samples.IsEmpty) return 0;
        double sum = 0;
        foreach (var s in samples) sum += (double)s * s;
        return Math.Sqrt(sum / samples.Length) / 32768.0;
    }

    /// <summary>Root mean square of float samples.</summary>
    public static double Rms(ReadOnlySpan<float> samples)
    {
        double sum = 0;
        foreach (var s in samples) sum += (double)s * s;
        return Math.Sqrt(sum / samples.Length);
    }

    /// <summary>Frequency of a (mostly) pure tone from interpolated upward zero crossings over the middle 80%.</summary>
    public static double ZeroCrossingFrequency(ReadOnlySpan<short> samples, int sampleRate)
    {
        var from = samples.Length / 10;
        var to = samples.Length - from;
        double first = -1, last = -1;
        var cycles = -1;
        for (var i = from + 1; i < to; i++)
        {
            if (samples[i - 1] < 0 && samples[i] >= 0)
            {
                var crossing = i - 1 + (double)-samples[i - 1] / (samples[i] - samples[i - 1]);
                if (first < 0) first = crossing;
                last = crossing;
                cycles++;
            }
        }
        return cycles > 0 ? cycles * sampleRate / (last - first) : 0;
    }

    /// <summary>Power of one frequency (Goertzel), normalized so a full-scale sine gives about 0.25.</summary>
    public static double TonePower(ReadOnlySpan<short> samples, int sampleRate, double frequency)
    {
        var coefficient = 2 * Math.Cos(2 * Math.PI * frequency / sampleRate);
        double s1 = 0, s2 = 0;
        foreach (var x in samples)
        {
            var s0 = x / 32768.0 + coefficient * s1 - s2;
            s2 = s1;
            s1 = s0;
        }
        var power = s1 * s1 + s2 * s2 - coefficient * s1 * s2;
        return power / ((double)samples.Length * samples.Length);
    }

    /// <summary>The result of streaming a clip through an encoder in irregular blocks.</summary>
    public sealed record Streamed(byte[] Bytes, int BytesBeforeComplete, int WritesThatEmitted);

    /// <summary>Feeds <paramref name="samples"/> in blocks of 1–999 samples (seeded), then completes.</summary>
    public static Streamed EncodeInIrregularBlocks(AudioEncoder encoder, ReadOnlySpan<float> samples, int seed = 1)
    {
        var random = new Random(seed);
        var output = new ArrayBufferWriter<byte>();
        var emitted = 0;
        while (!samples.IsEmpty)
        {
            var count = Math.Min(samples.Length, random.Next(1, 1000));
            var before = output.WrittenCount;
            encoder.Write(samples[..count], output);
            if (output.WrittenCount > before) emitted++;
            samples = samples[count..];
        }
        var beforeComplete = output.WrittenCount;
        encoder.Complete(output);
        return new Streamed(output.WrittenSpan.ToArray(), beforeComplete, emitted);
    }
}
