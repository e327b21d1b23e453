using System.Diagnostics;
using System.IO.Pipelines;
using CallWaiting.Speech.Codecs;
using CallWaiting.Speech.Engines;
using CallWaiting.Speech.Engines.Onnx;
using CallWaiting.Speech.Engines.Piper;
using CallWaiting.Speech.Synthesis;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace CallWaiting.Benchmarks;

/// <summary>
/// The ONNX path against a bare <see cref="InferenceSession.Run(IReadOnlyCollection{NamedOnnxValue})"/> on the generated graph of
/// realistic cost (tests/models/piper/en_US-bench-medium: eight 256×256 MatMuls per 256-sample frame, about 45 million
/// multiply-adds per output second), measured interleaved in one run, and the memory one loaded model costs.
/// </summary>
internal static class PiperBench
{
    private const string Voice = "piper-en-us-bench-medium";
    private const int Rounds = 41;

    // Time to first audio varies most on a shared machine, and a round costs one sentence: more rounds.
    private const int FirstAudioRounds = 41;

    /// <param name="report">Where the Markdown goes.</param>
    /// <param name="overheadOnly">Only the breakdown of the engine's overhead (<see cref="PiperOverhead"/>).</param>
    public static async Task RunAsync(TextWriter report, bool overheadOnly)
    {
        var source = Path.Combine(AppContext.BaseDirectory, "models", "piper");
        var models = Directory.CreateTempSubdirectory("cw-bench-models-").FullName;
        foreach (var file in new[] { "en_US-bench-medium.onnx", "en_US-bench-medium.onnx.json" })
            File.Copy(Path.Combine(source, file), Path.Combine(models, file));
        try
        {
            var before = Memory();
            // The server's setting, read here too, so that both settings can be measured; the bare session shares them.
            var onnx = new OnnxOptions
            {
                AllowSpinning = string.Equals(Environment.GetEnvironmentVariable("CALLWAITING_Onnx__AllowSpinning"), "true", StringComparison.OrdinalIgnoreCase),
            };
            report.WriteLine($"ONNX Runtime: intra-op threads {onnx.IntraOpThreads} (0: ONNX Runtime's choice), sequential, spinning {(onnx.AllowSpinning ? "on" : "off")}, for the engine's and the bare session alike.\n");
            await using var runtime = await SpeechRuntime.StartAsync(new SpeechRuntimeOptions { WorkerCount = 1, ModelsDirectory = models, Onnx = onnx });
            var piper = runtime.Piper ?? throw new InvalidOperationException("The bench model did not load: " + runtime.Models[0].Reason);
            var config = PiperConfig.Parse(File.ReadAllText(Path.Combine(models, "en_US-bench-medium.onnx.json")));
            using var bare = new OnnxSessionFactory(onnx).Open(Path.Combine(models, "en_US-bench-medium.onnx"));
            var sentence = BenchText.Take(200).Split(". ")[0] + ".";
            if (overheadOnly)
            {
                await PiperOverhead.RunAsync(runtime, piper, Voice, Path.Combine(models, "en_US-bench-medium.onnx"), config, onnx, bare, report);
                return;
            }
            // Every round speaks its own text (BenchText.Distinct), so no phoneme cache answers; the bare Run gets that round's ids.
            var texts = Enumerable.Range(0, Rounds + 1).Select(r => BenchText.Distinct(sentence, r)).ToArray();
            var ids = new long[texts.Length][];
            for (var r = 0; r < texts.Length; r++) ids[r] = await IdsAsync(runtime, config, texts[r]);

            var bareMs = new List<double>();
            var engineMs = new List<double>();
            var coreMs = new List<double>();
            for (var round = 0; round <= Rounds; round++)
            {
                var b = Time(() => Run(bare, ids[round], config));
                Settle();
                var e = await TimeAsync(() => EngineAsync(piper, texts[round]));
                Settle();
                var c = await TimeAsync(() => CoreAsync(runtime, texts[round]));
                Settle();
                if (round == 0) continue; // warm-up
                bareMs.Add(b);
                engineMs.Add(e);
                coreMs.Add(c);
            }
            var bareMedian = LatencyBench.Median([.. bareMs]);
            var table = new Table("path", $"median ms ({Rounds} interleaved)", "overhead vs bare Run", "median of per-round overheads", "target", "met");
            table.Add("bare InferenceSession.Run (ids ready)", bareMedian, "—", "—", "—", "—");
            Add(table, "PiperEngine: phonemize in a worker, ids, Run", engineMs, bareMs);
            Add(table, "speech core: front end, engine, pipeline, WAV encoder", coreMs, bareMs);
            report.WriteLine($"### Piper on ONNX Runtime against a bare session (one sentence, {ids[1].Length} ids, {texts[1].Length} characters, a distinct text each round)\n");
            report.WriteLine(table);

            var text = BenchText.Take(1200);
            var firstSentence = text.Split(". ")[0] + ".";
            // The first sentence made distinct each round, the rest as it is.
            var firstTexts = Enumerable.Range(0, FirstAudioRounds + 1).Select(r => BenchText.Distinct(firstSentence, r) + text[firstSentence.Length..]).ToArray();
            var firstIds = new long[firstTexts.Length][];
            for (var r = 0; r < firstTexts.Length; r++) firstIds[r] = await IdsAsync(runtime, config, BenchText.Distinct(firstSentence, r));
            // Interleaved, so both medians share the machine's load.
            var firstMs = new List<double>();
            var firstBareMs = new List<double>();
            for (var round = 0; round <= FirstAudioRounds; round++)
            {
                var f = await FirstPieceAsync(runtime, firstTexts[round]);
                Settle();
                var b = Time(() => Run(bare, firstIds[round], config));
                Settle();
                if (round == 0) continue; // warm-up
                firstMs.Add(f);
                firstBareMs.Add(b);
            }
            var first = LatencyBench.Median(firstMs);
            var firstBare = LatencyBench.Median(firstBareMs);
            var ttfa = new Table("measure", $"median ms ({FirstAudioRounds} interleaved)", "target ms", "met");
            ttfa.Add("first encoded piece of 1,200 characters", first, firstBare + 10, first <= firstBare + 10 ? "yes" : "NO");
            ttfa.Add($"bare Run of its first sentence ({firstIds[1].Length} ids)", firstBare, "—", "—");
            report.WriteLine("### Time to first audio, Piper voice, 1,200 characters\n");
            report.WriteLine(ttfa);
            await PiperBreakdown.RunAsync(runtime, piper, Voice, r => BenchText.Distinct(firstSentence, r + FirstAudioRounds + 1) + text[firstSentence.Length..], report);
            await PiperOverhead.RunAsync(runtime, piper, Voice, Path.Combine(models, "en_US-bench-medium.onnx"), config, onnx, bare, report);
            report.WriteLine($"Memory: the runtime with one worker and this model loaded added {(Memory() - before) / 1048576.0:0} MiB of private memory " +
                $"to the process (the bench graph's file is {new FileInfo(Path.Combine(models, "en_US-bench-medium.onnx")).Length} bytes; a real voice adds its weights).\n");
        }
        finally
        {
            Directory.Delete(models, recursive: true);
        }
    }

    private static async Task<long[]> IdsAsync(SpeechRuntime runtime, PiperConfig config, string sentence) =>
        PiperPhonemes.ToIds(PiperPhonemes.Sentences(await runtime.Pool.PhonemizeAsync(config.EspeakVoice, sentence, false, CancellationToken.None))[0],
            config.PhonemeIdMap, out _);

    // The target is judged on the median of medians; the median of each round's ratio to that round's bare Run is
    // shown beside it, as it follows the machine's load less.
    private static void Add(Table table, string path, List<double> times, List<double> bare)
    {
        var overhead = LatencyBench.Median([.. times]) / LatencyBench.Median([.. bare]) - 1;
        var paired = LatencyBench.Median([.. times.Select((t, r) => t / bare[r] - 1)]);
        table.Add(path, LatencyBench.Median([.. times]), $"{overhead:+0.0%;-0.0%}", $"{paired:+0.0%;-0.0%}", "≤ +10%", overhead <= 0.10 ? "yes" : "NO");
    }

    private static void Run(InferenceSession session, long[] ids, PiperConfig config)
    {
        using var results = session.Run([
            NamedOnnxValue.CreateFromTensor("input", new DenseTensor<long>(ids, [1, ids.Length])),
            NamedOnnxValue.CreateFromTensor("input_lengths", new DenseTensor<long>(new[] { (long)ids.Length }, [1])),
            NamedOnnxValue.CreateFromTensor("scales", new DenseTensor<float>(new[] { config.NoiseScale, config.LengthScale, config.NoiseW }, [3])),
        ]);
        _ = results[0].AsTensor<float>().Length;
    }

    private static async Task EngineAsync(ISpeechEngine engine, string sentence)
    {
        await foreach (var _ in engine.SynthesizeAsync(new EngineRequest(Voice, sentence, Prosody.Default), CancellationToken.None)) { }
    }

    private static async Task CoreAsync(SpeechRuntime runtime, string text)
    {
        var plan = runtime.Synthesizer.Prepare(new SynthesisRequest { Text = text, Voice = Voice, Format = AudioFormat.Wav });
        await AudioStreaming.WriteAsync(plan, PipeWriter.Create(Stream.Null), CancellationToken.None);
    }

    private static async Task<double> FirstPieceAsync(SpeechRuntime runtime, string text)
    {
        var clock = Stopwatch.StartNew();
        var plan = runtime.Synthesizer.Prepare(new SynthesisRequest { Text = text, Voice = Voice });
        using var encoder = plan.CreateEncoder();
        // The rest of the text does not change when the first piece came; leaving early disposes the plan's stream.
        await foreach (var _ in plan.EncodeAsync(encoder))
            return clock.Elapsed.TotalMilliseconds;
        throw new InvalidOperationException("The plan yielded no audio.");
    }

    /// <summary>
    /// A pause between measured calls: ONNX Runtime's pool threads keep spinning a while after a Run, and on two cores
    /// the bare session's and the runtime's sessions measured back to back slowed each other by 30 to 60 %.
    /// </summary>
    internal static void Settle() => Thread.Sleep(20);

    private static double Time(Action action)
    {
        var clock = Stopwatch.StartNew();
        action();
        return clock.Elapsed.TotalMilliseconds;
    }

    private static async Task<double> TimeAsync(Func<Task> action)
    {
        var clock = Stopwatch.StartNew();
        await action();
        return clock.Elapsed.TotalMilliseconds;
    }

    private static long Memory()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        using var process = Process.GetCurrentProcess();
        return process.PrivateMemorySize64;
    }
}
