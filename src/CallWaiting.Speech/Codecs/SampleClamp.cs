namespace CallWaiting.Speech.Codecs;

/// <summary>Makes float input safe for the native float encoders, which misbehave on it otherwise.</summary>
internal static class SampleClamp
{
    /// <summary>
    /// Copies <paramref name="source"/> clamped to [-1, 1], with NaN as 0. LAME aborts the process on NaN
    /// (an assertion in its psychoacoustic model) and huge values overflow its energy sums.
    /// </summary>
    public static void Copy(ReadOnlySpan<float> source, Span<float> destination)
    {
        if (destination.Length < source.Length) throw new ArgumentException("Destination is too short.", nameof(destination));
        for (var i = 0; i < source.Length; i++)
        {
            var v = source[i];
            destination[i] = v >= 1f ? 1f : v <= -1f ? -1f : float.IsNaN(v) ? 0f : v;
        }
    }
}
