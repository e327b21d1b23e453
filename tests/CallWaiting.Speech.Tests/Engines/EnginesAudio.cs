namespace CallWaiting.Speech.Tests.Engines;

/// <summary>Measurements on PCM16 speech used by the engine tests.</summary>
internal static class EnginesAudio
{
    /// <summary>Root mean square of the samples, in PCM16 units.</summary>
    public static double Rms(ReadOnlySpan<short> samples)
    {
        if (samples.IsEmpty) return 0;
        double sum = 0;
        foreach (var s in samples) sum += (double)s * s;
        return Math.Sqrt(sum / samples.Length);
    }

    /// <summary>
    /// Median fundamental frequency over voiced 40 ms frames. Each frame's period is the lag of the highest normalized
    /// autocorrelation peak between 60 and 500 Hz, searched only past the first zero crossing of the autocorrelation
    /// (so formant ripples at short lags are not taken for the period); frames whose peak is below 0.5, or that are
    /// quiet, count as unvoiced.
    /// </summary>
    public static double MedianPitch(ReadOnlySpan<short> samples, int sampleRate)
    {
        var frame = sampleRate * 40 / 1000;
        var hop = sampleRate / 100;
        var minLag = sampleRate / 500;
        var maxLag = sampleRate / 60;
        var quiet = 0.05 * Rms(samples);
        var pitches = new List<double>();
        var x = new double[frame + maxLag];
        for (var start = 0; start + frame + maxLag <= samples.Length; start += hop)
        {
            for (var i = 0; i < x.Length; i++) x[i] = samples[start + i];
            var energy0 = 0.0;
            for (var i = 0; i < frame; i++) energy0 += x[i] * x[i];
            if (Math.Sqrt(energy0 / frame) < quiet) continue;
            double best = 0;
            var bestLag = 0;
            var crossed = false;
            for (var lag = 1; lag <= maxLag; lag++)
            {
                double dot = 0, energyLag = 0;
                for (var i = 0; i < frame; i++)
                {
                    dot += x[i] * x[i + lag];
                    energyLag += x[i + lag] * x[i + lag];
                }
                var r = dot / Math.Sqrt(energy0 * energyLag + 1e-9);
                crossed |= r < 0;
                if (crossed && lag >= minLag && r > best)
                {
                    best = r;
                    bestLag = lag;
                }
            }
            if (best >= 0.5) pitches.Add((double)sampleRate / bestLag);
        }
        Assert.True(pitches.Count >= 10, $"Only {pitches.Count} voiced frames found.");
        pitches.Sort();
        return pitches[pitches.Count / 2];
    }
}
