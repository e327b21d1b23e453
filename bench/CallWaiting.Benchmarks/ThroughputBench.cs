using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using CallWaiting.Speech.Synthesis;

namespace CallWaiting.Benchmarks;

/// <summary>
/// Throughput on all cores: the wall time the worker pool needs to serve the same texts as 200-character requests,
/// against the engines' own command-line tools, one process per core, each speaking its share of the texts.
/// Comparing wall time for the same text (not audio seconds) keeps added pauses from flattering either side.
/// </summary>
internal static class ThroughputBench
{
    private const int Requests = 48;

    public static async Task RunAsync(SpeechRuntime runtime, int cores, TextWriter report)
    {
        var texts = Enumerable.Range(0, Requests).Select(i => BenchText.Take(200, i)).ToArray();
        var table = new Table("engine (voice)", "raw CLI wall s", "pool wall s", "pool audio s", "throughput pool / raw", "target", "met");
        (string Slug, string Label, Func<string, string, (string, string)> Cli)[] cases =
        [
            ("flite-slt", "flite (slt)", (input, output) => ("flite", $"-voice slt -f {input} -o {output}")),
            ("flite-kal16", "flite (kal16)", (input, output) => ("flite", $"-voice kal16 -f {input} -o {output}")),
            ("espeak-en-us", "espeak-ng (en-us)", (input, output) => ("espeak-ng", $"-v en-us -f {input} -w {output}")),
        ];
        foreach (var (slug, label, cli) in cases)
        {
            await RunPoolAsync(runtime, slug, texts.Take(cores * 2).ToArray(), cores); // warm-up
            var raw = Math.Min(RunCli(texts, cores, cli), RunCli(texts, cores, cli));
            var first = await RunPoolAsync(runtime, slug, texts, cores);
            var second = await RunPoolAsync(runtime, slug, texts, cores);
            var pool = first.Wall < second.Wall ? first : second;
            var ratio = raw / pool.Wall;
            table.Add(label, raw, pool.Wall, pool.AudioSeconds, ratio, "≥ 0.9", ratio >= 0.9 ? "yes" : "NO");
        }
        report.WriteLine($"### Throughput on {cores} cores ({Requests} requests of ~200 characters, best of 2)\n");
        report.WriteLine(table);
    }

    /// <summary>Each of <paramref name="cores"/> CLI processes speaks its share of the texts, one per line; returns wall seconds.</summary>
    private static double RunCli(string[] texts, int cores, Func<string, string, (string File, string Args)> cli)
    {
        var dir = Directory.CreateTempSubdirectory("cw-bench-");
        try
        {
            var jobs = Enumerable.Range(0, cores).Select(k =>
            {
                var input = Path.Combine(dir.FullName, $"in{k}.txt");
                File.WriteAllLines(input, texts.Where((_, i) => i % cores == k));
                return (Input: input, Output: Path.Combine(dir.FullName, $"out{k}.wav"));
            }).ToArray();
            var clock = Stopwatch.StartNew();
            var processes = jobs.Select(j =>
            {
                var (file, args) = cli(j.Input, j.Output);
                return Process.Start(new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
            }).ToArray();
            foreach (var p in processes) p.WaitForExit();
            var wall = clock.Elapsed.TotalSeconds;
            if (jobs.Any(j => WavSeconds(j.Output) <= 0)) throw new InvalidOperationException("A CLI run produced no audio.");
            return wall;
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static async Task<(double Wall, double AudioSeconds)> RunPoolAsync(SpeechRuntime runtime, string voice, string[] texts, int cores)
    {
        var queue = new ConcurrentQueue<string>(texts);
        long samples = 0;
        var rate = 0;
        var clock = Stopwatch.StartNew();
        // Twice as many clients as workers, so a worker never waits for the next request.
        await Task.WhenAll(Enumerable.Range(0, cores * 2).Select(async _ =>
        {
            while (queue.TryDequeue(out var text))
            {
                var plan = runtime.Synthesizer.Prepare(new SynthesisRequest { Text = text, Voice = voice });
                rate = plan.OutputSampleRate;
                using var encoder = plan.CreateEncoder();
                await foreach (var piece in plan.EncodeAsync(encoder))
                    Interlocked.Add(ref samples, piece.Samples);
            }
        }));
        return (clock.Elapsed.TotalSeconds, samples / (double)rate);
    }

    private static double WavSeconds(string path)
    {
        var soxi = Process.Start(new ProcessStartInfo("soxi", $"-D {path}") { RedirectStandardOutput = true })!;
        var text = soxi.StandardOutput.ReadToEnd();
        soxi.WaitForExit();
        return double.Parse(text, CultureInfo.InvariantCulture);
    }
}
