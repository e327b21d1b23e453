namespace CallWaiting.Speech.Tests.Support;

/// <summary>Deterministic test signals: tones, a chirp and speech-like audio.</summary>
internal static class Signals
{
    /// <summary>A sine of <paramref name="frequency"/> Hz.</summary>
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

        var max = samples.Max(Math.Abs);
        return samples.Select(v => (float)(v / max * peak)).ToArray();
    }

    /// <summary>A 200→2000 Hz (capped below Nyquist) chirp plus steady 440 and 1250 Hz tones, under a 3 Hz envelope.</summary>
    public static float[] ChirpWithTones(int sampleRate, double seconds)
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

        var activeRms = Measure.ActiveRms(samples.Select(v => (float)v).ToArray());
        var scale = Math.Pow(10, activeRmsDb / 20) / activeRms;
        return samples.Select(v => (float)(v * scale)).ToArray();
    }
}
