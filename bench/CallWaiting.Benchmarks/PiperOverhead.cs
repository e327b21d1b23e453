using System.Diagnostics;
using CallWaiting.Speech.Engines;
using CallWaiting.Speech.Engines.Onnx;
using CallWaiting.Speech.Engines.Piper;
using CallWaiting.Speech.Synthesis;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace CallWaiting.Benchmarks;

/// <summary>
/// Where the engine's fixed cost over a bare <c>Run</c> goes: each part of the engine's path timed on its own, every
/// call after the same pause as the overhead measurement, interleaved, each round a text of its own
/// (<see cref="BenchText.Distinct"/>), so that only the row that repeats a text on purpose can meet a phoneme cache.
/// </summary>
internal static class PiperOverhead
{
    private const int Rounds = 48;

    public static async Task RunAsync(SpeechRuntime runtime, ISpeechEngine piper, string voice, string modelPath, PiperConfig config,
        InferenceSession bare, TextWriter report)
    {
        using var model = PiperModel.Open(modelPath, config, new OnnxSessionFactory(new OnnxOptions()));
        var sentences = Enumerable.Range(0, Rounds + 1).Select(r => BenchText.Distinct(BenchText.Sentences[r % BenchText.Sentences.Length], r)).ToArray();
        var ids = new long[sentences.Length][];
        for (var i = 0; i < sentences.Length; i++)
            ids[i] = PiperPhonemes.ToIds(PiperPhonemes.Sentences(await runtime.Pool.PhonemizeAsync(config.EspeakVoice, sentences[i], false, CancellationToken.None))[0],
                config.PhonemeIdMap, out _);
        var pool = runtime.Pool;

        var steps = new[]
        {
            "bare Run on the calling thread (ids ready)", "bare Run on a pool thread (Task.Run, RunOptions)",
            "PiperModel.RunAsync (turn, pool thread, copy; ids ready)", "phonemize round trip alone (espeak-ng worker)",
            "PiperEngine: phonemize, ids, Run, copy (a text it has not seen)", "PiperEngine: the same text again",
        };
        var times = steps.Select(_ => new List<double>()).ToArray();
        for (var round = 0; round <= Rounds; round++)
        {
            var measured = new[]
            {
                Time(() => Run(bare, ids[round], config, null)),
                await TimeAsync(() => Task.Run(() =>
                {
                    using var options = new RunOptions();
                    Run(bare, ids[round], config, options);
                })),
                await TimeAsync(() => model.RunAsync(ids[round], config.LengthScale, 0, false, CancellationToken.None)),
                await TimeAsync(() => pool.PhonemizeAsync(config.EspeakVoice, sentences[round], false, CancellationToken.None)),
                // The engine meets this round's text for the first time (the ids above came from the pool itself), then again.
                await TimeAsync(() => EngineAsync(piper, voice, sentences[round])),
                await TimeAsync(() => EngineAsync(piper, voice, sentences[round])),
            };
            if (round == 0) continue; // warm-up
            for (var i = 0; i < steps.Length; i++) times[i].Add(measured[i]);
        }
        var bareMedian = LatencyBench.Median([.. times[0]]);
        var table = new Table("step", $"median ms ({Rounds} interleaved)", "vs bare Run on the calling thread");
        for (var i = 0; i < steps.Length; i++)
        {
            var median = LatencyBench.Median(times[i]);
            table.Add(steps[i], median, i == 0 ? "—" : $"{median - bareMedian:+0.00;-0.00} ms");
        }
        report.WriteLine("### Where the engine's overhead goes (each call after the same pause)\n");
        report.WriteLine(table);
    }

    private static async Task EngineAsync(ISpeechEngine piper, string voice, string text)
    {
        await foreach (var _ in piper.SynthesizeAsync(new EngineRequest(voice, text, Prosody.Default), CancellationToken.None)) { }
    }

    internal static void Run(InferenceSession session, long[] ids, PiperConfig config, RunOptions? options)
    {
        IReadOnlyCollection<NamedOnnxValue> inputs =
        [
            NamedOnnxValue.CreateFromTensor("input", new DenseTensor<long>(ids, [1, ids.Length])),
            NamedOnnxValue.CreateFromTensor("input_lengths", new DenseTensor<long>(new[] { (long)ids.Length }, [1])),
            NamedOnnxValue.CreateFromTensor("scales", new DenseTensor<float>(new[] { config.NoiseScale, config.LengthScale, config.NoiseW }, [3])),
        ];
        using var results = options is null ? session.Run(inputs) : session.Run(inputs, session.OutputNames, options);
        _ = results[0].AsTensor<float>().Length;
    }

    private static double Time(Action action)
    {
        var clock = Stopwatch.StartNew();
        action();
        var elapsed = clock.Elapsed.TotalMilliseconds;
        PiperBench.Settle();
        return elapsed;
    }

    private static async Task<double> TimeAsync(Func<Task> action)
    {
        var clock = Stopwatch.StartNew();
        await action();
        var elapsed = clock.Elapsed.TotalMilliseconds;
        PiperBench.Settle();
        return elapsed;
    }
}
