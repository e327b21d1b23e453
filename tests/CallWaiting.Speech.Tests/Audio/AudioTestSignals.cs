using CallWaiting.Speech.Audio;

namespace CallWaiting.Speech.Tests.Audio;

/// <summary>Deterministic test signals for the audio stage tests.</summary>
internal static class AudioTestSignals
{
    public static float[] Sine(double frequency, int sampleRate, double seconds, double amplitude = 0.5)
    {
        var samples = new float[(int)Math.Round(seconds * sampleRate)];
        for (var i = 0; i < samples.Length; i++) samples[i] = (float)(amplitude * Math.Sin(2 * Math.PI * frequency * i / sampleRate));
        return samples;
    }

    /// <summary>A tone with harmonics at 1/k amplitude up to 4 kHz, so the fundamental dominates; peak-normalised.</summary>
    public static float[] HarmonicTone(double fundamental, int sampleRate, double seconds, double peak = 0.5)
    {
        var samples = new double[(int)Math.Round(seconds * sampleRate)];
        var top = Math.Min(4000, sampleRate / 2.2);
        for (var k = 1; k * fundamental < top; k++)
        {
            for (var i = 0; i < samples.Length; i++) samples[i] += Math.Sin(2 * Math.PI * k * fundamental * i / sampleRate) / k;
        }

        return Normalise(samples, peak);
    }

    /// <summary>Speech-like audio: a gliding 120–180 Hz harmonic voice in 250 ms syllables with 100 ms silent gaps, at the given active RMS.</summary>
    public static float[] SpeechLike(int sampleRate, double seconds, double activeRmsDb)
    {
        var samples = new double[(int)Math.Round(seconds * sampleRate)];
        var syllable = (int)(0.25 * sampleRate);
        var period = (int)(0.35 * sampleRate);
        var phase = 0.0;
        for (var i = 0; i < samples.Length; i++)
        {
            var t = (double)i / sampleRate;
            var f0 = 150 + (30 * Math.Sin(2 * Math.PI * 0.7 * t));
            phase += 2 * Math.PI * f0 / sampleRate;
            var inSyllable = i % period;
            if (inSyllable >= syllable) continue;
            var envelope = Math.Sin(Math.PI * inSyllable / syllable);
            var value = 0.0;
            for (var k = 1; k <= 20; k++) value += Math.Sin(k * phase) / k;
            samples[i] = envelope * value;
        }

        var activeRms = AudioMeasurements.ActiveRms(samples.Select(v => (float)v).ToArray());
        var scale = Math.Pow(10, activeRmsDb / 20) / activeRms;
        return samples.Select(v => (float)(v * scale)).ToArray();
    }

    /// <summary>Pseudo-random block sizes (including 0 and 1) that cover <paramref name="total"/> samples.</summary>
    public static IEnumerable<int> IrregularBlocks(int total, int seed)
    {
        var random = new Random(seed);
        int[] special = [0, 1, 0, 1, 2, 3];
        var done = 0;
        var n = 0;
        while (done < total)
        {
            var size = n < special.Length ? special[n] : random.Next(0, 5) == 0 ? random.Next(0, 3) : random.Next(1, 3000);
            size = Math.Min(size, total - done);
            n++;
            done += size;
            yield return size;
        }
    }

    /// <summary>Streams <paramref name="input"/> through <paramref name="processor"/> in irregular blocks and returns everything, tail included.</summary>
    public static float[] RunInBlocks(IAudioProcessor processor, float[] input, int seed = 1)
    {
        var output = new List<float>(input.Length);
        var offset = 0;
        foreach (var size in IrregularBlocks(input.Length, seed))
        {
            output.AddRange(processor.Process(input.AsSpan(offset, size)));
            offset += size;
        }

        output.AddRange(processor.Process(ReadOnlySpan<float>.Empty));
        output.AddRange(processor.Flush());
        return output.ToArray();
    }

    private static float[] Normalise(double[] samples, double peak)
    {
        var max = samples.Max(Math.Abs);
        return samples.Select(v => (float)(v / max * peak)).ToArray();
    }
}
