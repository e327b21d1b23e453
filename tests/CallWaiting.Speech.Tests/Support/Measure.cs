using CallWaiting.Speech.Audio;

namespace CallWaiting.Speech.Tests.Support;

/// <summary>Independent measurements on test audio: level, peak, frequency and pitch.</summary>
internal static class Measure
{
    /// <summary>Root mean square of float samples (0 for none).</summary>
    public static double Rms(ReadOnlySpan<float> samples)
    {
        var sum = 0.0;
        foreach (var v in samples) sum += (double)v * v;
        return samples.IsEmpty ? 0 : Math.Sqrt(sum / samples.Length);
    }

    /// <summary>Root mean square of PCM16 samples as a fraction of full scale, comparable with float levels.</summary>
    public static double Rms(ReadOnlySpan<short> samples) => Pcm16Rms(samples) / 32768.0;

    /// <summary>Root mean square of PCM16 samples in PCM16 units, as the engines' own output is judged.</summary>
    public static double Pcm16Rms(ReadOnlySpan<short> samples)
    {
        if (samples.IsEmpty) return 0;
        double sum = 0;
        foreach (var s in samples) sum += (double)s * s;
        return Math.Sqrt(sum / samples.Length);
    }

    public static double RmsDb(ReadOnlySpan<float> samples) => 20 * Math.Log10(Rms(samples));

    public static double Peak(ReadOnlySpan<float> samples)
    {
        var peak = 0.0;
        foreach (var v in samples) peak = Math.Max(peak, Math.Abs(v));
        return peak;
    }

    /// <summary>RMS over the blocks (80 samples by default) that are not near-silent, so pauses don't dilute a speech level.</summary>
    public static double ActiveRms(ReadOnlySpan<float> samples, int blockLength = 80)
    {
        double sum = 0;
        long count = 0;
        for (var start = 0; start + blockLength <= samples.Length; start += blockLength)
        {
            var block = samples.Slice(start, blockLength);
            if (Rms(block) < 1e-4) continue;
            foreach (var v in block) sum += (double)v * v;
            count += blockLength;
        }

        return count == 0 ? 0 : Math.Sqrt(sum / count);
    }

    public static double ActiveRmsDb(ReadOnlySpan<float> samples) => 20 * Math.Log10(ActiveRms(samples));

    /// <summary>The middle of a signal, skipping edge transients of resamplers and filters.</summary>
    public static ReadOnlySpan<float> Middle(float[] samples, double fraction = 0.8)
    {
        var skip = (int)(samples.Length * (1 - fraction) / 2);
        return samples.AsSpan(skip, samples.Length - (2 * skip));
    }

    /// <summary>Frequency of a (mostly) pure tone from interpolated rising zero crossings over the middle 80%.</summary>
    public static double ZeroCrossingFrequency(ReadOnlySpan<float> samples, int sampleRate)
    {
        var start = samples.Length / 10;
        var end = samples.Length - start;
        double first = -1, last = -1;
        var count = 0;
        for (var i = start + 1; i < end; i++)
        {
            double before = samples[i - 1], after = samples[i];
            if (before < 0 && after >= 0)
            {
                var crossing = i - 1 + (before / (before - after));
                if (first < 0) first = crossing;
                last = crossing;
                count++;
            }
        }

        Assert.True(count >= 3, $"Only {count} zero crossings: no periodic signal.");
        return (count - 1) * sampleRate / (last - first);
    }

    /// <inheritdoc cref="ZeroCrossingFrequency(ReadOnlySpan{float}, int)"/>
    public static double ZeroCrossingFrequency(ReadOnlySpan<short> samples, int sampleRate) =>
        ZeroCrossingFrequency(Pcm.Pcm16ToFloat(samples), sampleRate);

    /// <summary>Amplitude of the component at <paramref name="frequency"/> (Goertzel over the whole span, Hann-windowed).</summary>
    public static double GoertzelAmplitude(ReadOnlySpan<float> samples, int sampleRate, double frequency)
    {
        var coefficient = 2 * Math.Cos(2 * Math.PI * frequency / sampleRate);
        double s1 = 0, s2 = 0, windowSum = 0;
        for (var i = 0; i < samples.Length; i++)
        {
            var w = 0.5 - (0.5 * Math.Cos(2 * Math.PI * i / (samples.Length - 1)));
            windowSum += w;
            var s0 = (w * samples[i]) + (coefficient * s1) - s2;
            s2 = s1;
            s1 = s0;
        }

        var power = (s1 * s1) + (s2 * s2) - (coefficient * s1 * s2);
        return 2 * Math.Sqrt(Math.Max(power, 0)) / windowSum;
    }

    /// <summary>Frequency with the largest Goertzel amplitude between <paramref name="low"/> and <paramref name="high"/> Hz.</summary>
    public static double DominantFrequency(ReadOnlySpan<float> samples, int sampleRate, double low, double high, double step = 0.5)
    {
        double best = low, bestAmplitude = -1;
        for (var f = low; f <= high; f += step)
        {
            var amplitude = GoertzelAmplitude(samples, sampleRate, f);
            if (amplitude > bestAmplitude)
            {
                bestAmplitude = amplitude;
                best = f;
            }
        }

        return best;
    }

    /// <summary>
    /// Power of one frequency in PCM16 audio (plain Goertzel, no window), normalized so a full-scale sine gives about
    /// 0.25: for comparing tones against an absent frequency, where leakage from a window would only blur the contrast.
    /// </summary>
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
        var quiet = 0.05 * Pcm16Rms(samples);
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
