using System.Buffers;
using System.Diagnostics;
using CallWaiting.Speech.Audio;
using CallWaiting.Speech.Codecs;
using CallWaiting.Speech.Engines;
using CallWaiting.Speech.Synthesis;
using CallWaiting.Speech.Text;

namespace CallWaiting.Benchmarks;

/// <summary>
/// Where the time to first audio goes for a Piper voice: the steps of the path from text to the first encoded piece,
/// each timed on its own with a <see cref="Stopwatch"/> (the same public parts the plan strings together, in order).
/// </summary>
internal static class PiperBreakdown
{
    private const int Rounds = 9;

    /// <param name="runtime">The speech core.</param>
    /// <param name="piper">Its Piper engine.</param>
    /// <param name="voice">The voice measured.</param>
    /// <param name="textOf">Each round's text: distinct, so that no phoneme cache answers a round.</param>
    /// <param name="report">Where the Markdown goes.</param>
    public static async Task RunAsync(SpeechRuntime runtime, ISpeechEngine piper, string voice, Func<int, string> textOf, TextWriter report)
    {
        var steps = new[]
        {
            "front end (Prepare, whole text)", "engine: phonemize, ids, Run, copy (first sentence)", "audio pipeline (limiter)",
            "WAV encoder and piece copy", "all together: first piece of SynthesisPlan.EncodeAsync",
        };
        var times = steps.Select(_ => new List<double>()).ToArray();
        var samples = 0;
        var text = "";
        for (var round = 0; round <= Rounds; round++)
        {
            text = textOf(2 * round);
            var clock = Stopwatch.StartNew();
            var plan = runtime.Synthesizer.Prepare(new SynthesisRequest { Text = text, Voice = voice });
            var prepare = clock.Elapsed.TotalMilliseconds;

            var first = (SpokenText)plan.Script.Segments[0];
            clock.Restart();
            AudioChunk? chunk = null;
            await foreach (var c in piper.SynthesizeAsync(new EngineRequest(plan.Voice.EngineVoice.NativeName, first.Text, first.Prosody), CancellationToken.None))
            {
                chunk ??= c;
            }
            var engine = clock.Elapsed.TotalMilliseconds;

            clock.Restart();
            using var pipeline = new AudioPipeline(new AudioPipelineOptions(chunk!.SampleRate, plan.OutputSampleRate) { LimitPeaks = runtime.Synthesizer.Options.LimitPeaks });
            var audio = pipeline.Process(chunk.Samples);
            var process = clock.Elapsed.TotalMilliseconds;

            clock.Restart();
            using var encoder = plan.CreateEncoder();
            var output = new ArrayBufferWriter<byte>(16 * 1024);
            encoder.Write(audio, output);
            _ = output.WrittenSpan.ToArray();
            var encode = clock.Elapsed.TotalMilliseconds;

            clock.Restart();
            var whole = runtime.Synthesizer.Prepare(new SynthesisRequest { Text = textOf(2 * round + 1), Voice = voice });
            using var wholeEncoder = whole.CreateEncoder();
            await foreach (var _ in whole.EncodeAsync(wholeEncoder)) break;
            var together = clock.Elapsed.TotalMilliseconds;

            samples = chunk.Samples.Length;
            if (round == 0) continue; // warm-up
            times[0].Add(prepare);
            times[1].Add(engine);
            times[2].Add(process);
            times[3].Add(encode);
            times[4].Add(together);
        }

        var table = new Table("step", $"median ms ({Rounds} rounds)", "µs per output sample");
        for (var i = 0; i < steps.Length; i++)
        {
            var median = LatencyBench.Median(times[i]);
            table.Add(steps[i], median, i is 2 or 3 ? (median * 1000 / samples).ToString("0.000") : "—");
        }
        report.WriteLine($"### Where the first audio's time goes ({text.Length} characters, first sentence {samples} samples)\n");
        report.WriteLine(table);
    }
}
