using System.Diagnostics;
using CallWaiting.Speech.Synthesis;

namespace CallWaiting.Benchmarks;

/// <summary>Time to the first encoded chunk through the whole speech core (front end, worker pool, pipeline, WAV encoder) for 1,200 characters.</summary>
internal static class LatencyBench
{
    public static async Task RunAsync(SpeechRuntime runtime, IReadOnlyDictionary<string, RawRun> raw, TextWriter report)
    {
        var text = BenchText.Take(1200);
        var table = new Table("voice", "first chunk ms (median of 7)", "raw first sentence ms", "target ms", "met", "full synthesis ms", "first chunk / full");
        foreach (var (voiceId, baseline) in raw)
        {
            var firsts = new List<double>();
            var totals = new List<double>();
            for (var i = 0; i < 8; i++)
            {
                var clock = Stopwatch.StartNew();
                double first = -1;
                var plan = runtime.Synthesizer.Prepare(new SynthesisRequest { Text = text, Voice = voiceId });
                using var encoder = plan.CreateEncoder();
                await foreach (var _ in plan.EncodeAsync(encoder))
                    if (first < 0) first = clock.Elapsed.TotalMilliseconds;
                if (i == 0) continue; // warm-up
                firsts.Add(first);
                totals.Add(clock.Elapsed.TotalMilliseconds);
            }
            var median = Median(firsts);
            // The targets: 30 ms where the engine streams within a sentence; else first sentence + 10 ms.
            var target = voiceId.StartsWith("espeak", StringComparison.Ordinal) || voiceId == "flite-kal16" || voiceId == "flite-kal"
                ? 30.0
                : baseline.FirstSentenceMs + 10;
            var full = Median(totals);
            table.Add(voiceId, median, baseline.FirstSentenceMs, target, median <= target ? "yes" : "NO", full, median / full);
        }
        report.WriteLine($"### Time to first chunk, speech core with worker pool ({text.Length} characters)\n");
        report.WriteLine(table);
    }

    internal static double Median(List<double> values)
    {
        values.Sort();
        return values.Count % 2 == 1 ? values[values.Count / 2] : (values[values.Count / 2 - 1] + values[values.Count / 2]) / 2;
    }
}
