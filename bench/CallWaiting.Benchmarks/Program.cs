using CallWaiting.Benchmarks;
using CallWaiting.Speech.Synthesis;

// Usage: dotnet run -c Release --project bench/CallWaiting.Benchmarks [-- sections...]
// Sections: engines latency throughput encoders piper piper-overhead (default: all but piper-overhead, which piper includes). Prints Markdown for docs/BENCHMARKS.md.
var sections = args.Length == 0 ? ["engines", "latency", "throughput", "encoders", "piper"] : args;
var report = Console.Out;
var cores = Environment.ProcessorCount;
report.WriteLine($"## Speech core — {DateTime.UtcNow:yyyy-MM-dd}, {cores} cores, {Environment.OSVersion}, .NET {Environment.Version}\n");

if (sections.Any(s => s is not ("piper" or "piper-overhead")))
{
    using var raw = new RawEngines();
    var rawRuns = EngineBench.Run(raw, report);
    await using var runtime = await SpeechRuntime.StartAsync(new SpeechRuntimeOptions { WorkerCount = cores });
    if (sections.Contains("latency")) await LatencyBench.RunAsync(runtime, rawRuns, report);
    if (sections.Contains("throughput")) await ThroughputBench.RunAsync(runtime, cores, report);
    if (sections.Contains("encoders")) EncoderBench.Run(rawRuns["flite-slt"], report);
}
if (sections.Contains("piper") || sections.Contains("piper-overhead")) await PiperBench.RunAsync(report, overheadOnly: !sections.Contains("piper"));
