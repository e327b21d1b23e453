using System.Buffers;
using System.Diagnostics;
using CallWaiting.Speech.Audio;
using CallWaiting.Speech.Codecs;

namespace CallWaiting.Benchmarks;

/// <summary>What each encoder costs, as a share of the time the engine took to synthesize the same audio.</summary>
internal static class EncoderBench
{
    public static void Run(RawRun speech, TextWriter report)
    {
        var synthMsPerAudioSecond = speech.SynthSeconds * 1000 / speech.AudioSeconds;
        var table = new Table("format", "rate Hz", "encode ms per audio s", "share of synthesis", "same codec's CLI ms per audio s", "target", "met");
        foreach (var format in AudioFormats.All)
        {
            var rate = AudioFormats.DefaultSampleRate(format) ?? AudioFormats.NearestSupportedSampleRate(format, speech.SampleRate);
            var audio = Resample(speech.Audio, speech.SampleRate, rate);
            var block = rate / 10; // engines deliver about 100 ms at a time
            Encode(format, rate, audio, block); // warm-up
            var best = Enumerable.Range(0, 5).Min(_ => Encode(format, rate, audio, block));
            var msPerSecond = best * 1000 / (audio.Length / (double)rate);
            var share = msPerSecond / synthMsPerAudioSecond;
            var target = format == AudioFormat.Opus ? "n/a" : "≤ 5%";
            var cli = CliBaseline(format, rate, audio);
            table.Add(AudioFormats.Name(format), rate, msPerSecond, $"{share:P1}", cli, target, format == AudioFormat.Opus ? "-" : share <= 0.05 ? "yes" : "NO");
        }
        report.WriteLine($"### Encoder cost ({speech.AudioSeconds:0.0} s of {speech.Voice} speech in 100 ms blocks; synthesis took {synthMsPerAudioSecond:0.0} ms per audio second; best of 5)\n");
        report.WriteLine(table);
    }

    private static double Encode(AudioFormat format, int rate, float[] audio, int block)
    {
        var output = new ArrayBufferWriter<byte>(1 << 20);
        var clock = Stopwatch.StartNew();
        using var encoder = AudioEncoder.Create(format, rate);
        for (var i = 0; i < audio.Length; i += block)
            encoder.Write(audio.AsSpan(i, Math.Min(block, audio.Length - i)), output);
        encoder.Complete(output);
        return clock.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// The codec's own command-line encoder on the same audio and settings (process start included, best of 3), to
    /// show what the codec itself costs apart from our streaming wrapper.
    /// </summary>
    private static string CliBaseline(AudioFormat format, int rate, float[] audio)
    {
        var (tool, args) = format switch
        {
            AudioFormat.Mp3 => ("lame", $"--quiet -q 7 --cbr -b {(rate <= 16000 ? 32 : 64)} -m m {{0}} {{1}}"),
            AudioFormat.Flac => ("flac", "--silent -f -5 -o {1} {0}"),
            AudioFormat.Opus => ("opusenc", "--quiet --bitrate 32 --comp 10 {0} {1}"),
            _ => ("", ""),
        };
        if (tool.Length == 0) return "-";
        var dir = Directory.CreateTempSubdirectory("cw-enc-");
        try
        {
            var input = Path.Combine(dir.FullName, "in.wav");
            File.WriteAllBytes(input, AudioEncoder.Encode(AudioFormat.Wav, rate, audio));
            using (var file = File.Open(input, FileMode.Open)) WavHeader.Patch(file);
            var best = Enumerable.Range(0, 3).Min(_ =>
            {
                var clock = Stopwatch.StartNew();
                using var process = Process.Start(new ProcessStartInfo(tool, string.Format(args, input, Path.Combine(dir.FullName, "out"))))!;
                process.WaitForExit();
                return clock.Elapsed.TotalSeconds;
            });
            return $"{best * 1000 / (audio.Length / (double)rate):0.00} ({tool})";
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static float[] Resample(float[] audio, int from, int to)
    {
        if (from == to) return audio;
        using var resampler = new Resampler(from, to);
        return [.. resampler.Process(audio), .. resampler.Flush()];
    }
}
