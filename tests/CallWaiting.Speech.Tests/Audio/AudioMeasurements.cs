namespace CallWaiting.Speech.Tests.Audio;

/// <summary>Independent measurements (zero crossings, Goertzel, RMS) for checking stage output.</summary>
internal static class AudioMeasurements
{
    /// <summary>Frequency from rising zero crossings (interpolated) over the middle 80% of the signal.</summary>
    public static double ZeroCrossingFrequency(ReadOnlySpan<float> samples, int sampleRate)
    {
        var start = samples.Length / 10;
        var end = samples.Length - (samples.Length / 10);
        double first = -1, last = -1;
        var count = 0;
        for (var i = start + 1; i < end; i++)
        {
            if (samples[i - 1] < 0 && samples[i] >= 0)
            {
                var crossing = i - 1 + (samples[i - 1] / (samples[i - 1] - samples[i]));
                if (first < 0) first = crossing;
                last = crossing;
                count++;
            }
        }

        Assert.True(count >= 3, $"Only {count} zero crossings: no periodic signal.");
        return (count - 1) * sampleRate / (last - first);
    }

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

    public static double Rms(ReadOnlySpan<float> samples)
    {
        var sum = 0.0;
        foreach (var v in samples) sum += (double)v * v;
        return samples.IsEmpty ? 0 : Math.Sqrt(sum / samples.Length);
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
            var rms = Rms(block);
            if (rms < 1e-4) continue;
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
}
