namespace CallWaiting.Benchmarks;

/// <summary>Real-time factor and first-block latency of each raw engine voice on a 1,200-character text.</summary>
internal static class EngineBench
{
    public static Dictionary<string, RawRun> Run(RawEngines raw, TextWriter report)
    {
        var text = BenchText.Take(1200);
        var table = new Table("voice", "audio s", "synth ms", "RTF", "× real time", "first block ms", "first sentence ms");
        var results = new Dictionary<string, RawRun>();
        foreach (var voice in raw.BenchVoices())
        {
            raw.Run(voice, BenchText.Take(200)); // warm caches and lexicons
            var best = Enumerable.Range(0, 3).Select(_ => raw.Run(voice, text)).OrderBy(r => r.SynthSeconds).First();
            results[voice.Id] = best;
            table.Add(voice.Id, best.AudioSeconds, best.SynthSeconds * 1000, best.RealTimeFactor, 1 / best.RealTimeFactor,
                best.FirstBlockMs, best.FirstSentenceMs);
        }
        report.WriteLine($"### Raw engines, in-process ({text.Length} characters, best of 3)\n");
        report.WriteLine(table);
        return results;
    }
}
