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
/// (<see cref="BenchText.Distinct"/>), so that only the rows that repeat a round's text on purpose meet a shape ONNX Runtime has planned.
/// </summary>
internal static class PiperOverhead
{
    private const int Rounds = 96;

    public static async Task RunAsync(SpeechRuntime runtime, ISpeechEngine piper, string voice, string modelPath, PiperConfig config,
        OnnxOptions onnx, InferenceSession bare, TextWriter report)
    {
        using var model = PiperModel.Open(modelPath, config, new OnnxSessionFactory(onnx));
        var sentences = Enumerable.Range(0, Rounds + 1).Select(r => BenchText.Distinct(BenchText.Sentences[r % BenchText.Sentences.Length], r)).ToArray();
        var ids = new long[sentences.Length][];
        for (var i = 0; i < sentences.Length; i++)
            ids[i] = PiperPhonemes.ToIds(PiperPhonemes.Sentences(await runtime.Pool.PhonemizeAsync(config.EspeakVoice, sentences[i], false, CancellationToken.None))[0],
                config.PhonemeIdMap, out _);
        var pool = runtime.Pool;

        // Each round's ids are new to every session, as a new sentence's are in service (ONNX Runtime plans memory per
        // input shape, so a shape's first call costs more than a repeat); the last two rows repeat this round's text.
        var steps = new[]
        {
            "bare Run (ids ready)", "PiperModel.RunAsync (turn, pool thread, RunOptions, output copy; ids ready)",
            "phonemize round trip alone (espeak-ng worker)", "PiperEngine: phonemize, ids, Run, copy",
            "bare Run again (same ids)", "PiperEngine again (same text, same shape)",
        };
        var times = steps.Select(_ => new List<double>()).ToArray();
        for (var round = 0; round <= Rounds; round++)
        {
            var measured = new[]
            {
                Time(() => Run(bare, ids[round], config)),
                await TimeAsync(() => model.RunAsync(ids[round], config.LengthScale, 0, false, CancellationToken.None)),
                await TimeAsync(() => pool.PhonemizeAsync(config.EspeakVoice, sentences[round], false, CancellationToken.None)),
                // The engine meets this round's text for the first time: the ids above came from the pool itself.
                await TimeAsync(() => EngineAsync(piper, voice, sentences[round])),
                Time(() => Run(bare, ids[round], config)),
                await TimeAsync(() => EngineAsync(piper, voice, sentences[round])),
            };
            if (round == 0) continue; // warm-up
            for (var i = 0; i < steps.Length; i++) times[i].Add(measured[i]);
        }
        // Each row against the bare Run of the same round (the first two rows' ids new to the session, the last two
        // repeated): the median of those paired differences follows the machine's load less than a difference of medians.
        var table = new Table("step", $"median ms ({Rounds} interleaved)", "median of paired differences vs bare Run of the round");
        for (var i = 0; i < steps.Length; i++)
        {
            var baseline = times[i < 4 ? 0 : 4];
            var paired = times[i].Select((t, r) => t - baseline[r]).ToList();
            var difference = LatencyBench.Median(paired);
            table.Add(steps[i], LatencyBench.Median([.. times[i]]), i is 0 or 2 or 4 ? "—" : $"{difference:+0.00;-0.00} ms");
        }
        // The engine copies the output into an array it owns; timed alone, on a bare Run's result.
        var copies = new List<double>();
        var spans = new List<double>();
        for (var round = 1; round <= Rounds; round++)
        {
            using var results = bare.Run(Inputs(ids[round], config));
            var clock = Stopwatch.StartNew();
            _ = results[0].AsTensor<float>().ToArray();
            copies.Add(clock.Elapsed.TotalMilliseconds);
            clock.Restart();
            _ = ((DenseTensor<float>)results[0].AsTensor<float>()).Buffer.ToArray();
            spans.Add(clock.Elapsed.TotalMilliseconds);
        }
        table.Add("output copy alone: AsTensor().ToArray() (as PiperModel does)", LatencyBench.Median(copies), "—");
        table.Add("output copy alone: the DenseTensor's Buffer.ToArray()", LatencyBench.Median(spans), "—");
        report.WriteLine("### Where the engine's overhead goes (each call after the same pause)\n");
        report.WriteLine(table);
    }

    private static async Task EngineAsync(ISpeechEngine piper, string voice, string text)
    {
        await foreach (var _ in piper.SynthesizeAsync(new EngineRequest(voice, text, Prosody.Default), CancellationToken.None)) { }
    }

    private static void Run(InferenceSession session, long[] ids, PiperConfig config)
    {
        using var results = session.Run(Inputs(ids, config));
        _ = results[0].AsTensor<float>().Length;
    }

    private static IReadOnlyCollection<NamedOnnxValue> Inputs(long[] ids, PiperConfig config) =>
    [
        NamedOnnxValue.CreateFromTensor("input", new DenseTensor<long>(ids, [1, ids.Length])),
        NamedOnnxValue.CreateFromTensor("input_lengths", new DenseTensor<long>(new[] { (long)ids.Length }, [1])),
        NamedOnnxValue.CreateFromTensor("scales", new DenseTensor<float>(new[] { config.NoiseScale, config.LengthScale, config.NoiseW }, [3])),
    ];

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
