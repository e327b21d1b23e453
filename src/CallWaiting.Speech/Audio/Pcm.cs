using System.Numerics;

namespace CallWaiting.Speech.Audio;

/// <summary>Conversions between float samples in [-1, 1] and 16-bit PCM.</summary>
public static class Pcm
{
    /// <summary>Converts float samples to PCM16 with rounding and clamping.</summary>
    public static void FloatToPcm16(ReadOnlySpan<float> source, Span<short> destination)
    {
        if (destination.Length < source.Length) throw new ArgumentException("Destination is too short.", nameof(destination));
        for (var i = 0; i < source.Length; i++)
        {
            var v = source[i] * 32767f;
            destination[i] = v >= 32767f ? short.MaxValue : v <= -32768f ? short.MinValue : (short)MathF.Round(v);
        }
    }

    /// <summary>Converts PCM16 samples to floats in [-1, 1).</summary>
    /// <remarks>Vectorized: every engine sample passes through here, and fast engines make over a million a second.</remarks>
    public static void Pcm16ToFloat(ReadOnlySpan<short> source, Span<float> destination)
    {
        if (destination.Length < source.Length) throw new ArgumentException("Destination is too short.", nameof(destination));
        var i = 0;
        if (Vector.IsHardwareAccelerated && source.Length >= Vector<short>.Count)
        {
            var scale = new Vector<float>(1f / 32768f);
            var width = Vector<short>.Count;
            for (; i <= source.Length - width; i += width)
            {
                Vector.Widen(new Vector<short>(source[i..]), out var low, out var high);
                (Vector.ConvertToSingle(low) * scale).CopyTo(destination[i..]);
                (Vector.ConvertToSingle(high) * scale).CopyTo(destination[(i + Vector<int>.Count)..]);
            }
        }
        for (; i < source.Length; i++) destination[i] = source[i] / 32768f;
    }

    /// <summary>Converts PCM16 samples to a new float array.</summary>
    public static float[] Pcm16ToFloat(ReadOnlySpan<short> source)
    {
        var result = new float[source.Length];
        Pcm16ToFloat(source, result);
        return result;
    }

    /// <summary>Multiplies every sample by <paramref name="gain"/> in place (a volume applied after a neural graph).</summary>
    public static void Scale(Span<float> samples, double gain)
    {
        if (gain == 1.0) return;
        var g = (float)gain;
        for (var i = 0; i < samples.Length; i++) samples[i] *= g;
    }
}
