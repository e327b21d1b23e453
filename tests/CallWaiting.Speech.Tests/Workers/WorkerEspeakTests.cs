using CallWaiting.Speech.Engines;
using CallWaiting.Speech.Tests.Support;
using CallWaiting.Speech.Workers;
using static CallWaiting.Speech.Tests.Workers.WorkersKit;

namespace CallWaiting.Speech.Tests.Workers;

/// <summary>espeak-ng is unsafe on two threads of one process; on separate worker processes it is safe and deterministic.</summary>
public sealed class WorkerEspeakTests
{
    private static readonly string[] Texts =
    [
        "Thank you for calling.", "Please hold the line.", "Your call will be answered shortly.", "Press star to repeat.",
        "Our office hours are nine to five.", "Goodbye.", "Please say your account number.", "Transferring you now.",
    ];

    /// <remarks>
    /// espeak-ng's output depends on what the same process synthesized before (its pitch flutter phase and rand()
    /// noise carry over), so the reference for each request is the first request of a fresh worker, made one at a
    /// time; the concurrent run gives each of the eight requests its own fresh worker at the same moment.
    /// </remarks>
    [Fact]
    public async Task Eight_concurrent_espeak_requests_equal_the_sequential_ones()
    {
        EngineRequest[]? requests = null;
        var sequential = new List<Collected>();
        for (var i = 0; i < Texts.Length; i++)
        {
            await using var fresh = await StartPoolAsync(1);
            requests ??= EnglishRequests(fresh);
            sequential.Add(await CollectAsync(fresh.SynthesizeAsync("espeak", requests[i], default)));
        }
        Assert.NotNull(requests);

        await using var pool = await StartPoolAsync(requests.Length);
        var concurrent = await Task.WhenAll(requests.Select(r => CollectAsync(pool.SynthesizeAsync("espeak", r, default))));

        var rates = pool.Voices.ToDictionary(v => (v.Engine, v.NativeName), v => v.SampleRate);
        for (var i = 0; i < requests.Length; i++)
        {
            Assert.Equal(rates[("espeak", requests[i].Voice)], concurrent[i].SampleRate);
            var report = Sox.Analyze(concurrent[i].Samples, concurrent[i].SampleRate);
            Assert.InRange(report.Seconds, 0.3, 10);
            Assert.True(report.RmsAmplitude > 0.01, $"'{Texts[i]}' is too quiet (RMS {report.RmsAmplitude}).");
            Assert.Equal(sequential[i].Samples, concurrent[i].Samples);
        }
        Assert.Equal(0, pool.WorkerRestarts);
    }

    private static EngineRequest[] EnglishRequests(EngineWorkerPool pool)
    {
        var voices = pool.Voices.Where(v => v.Engine == "espeak" && v.Language.StartsWith("en", StringComparison.Ordinal))
            .Take(2).ToArray();
        Assert.Equal(2, voices.Length);
        return [.. Texts.Select((t, i) => new EngineRequest(voices[i % 2].NativeName, t, Prosody.Default))];
    }

    [Fact]
    public async Task Both_engines_share_one_pool()
    {
        await using var pool = await StartPoolAsync(2);
        var espeak = new WorkerEngine(pool, "espeak");
        var flite = new WorkerEngine(pool, "flite");
        var espeakVoice = espeak.Voices.First(v => v.Language.StartsWith("en", StringComparison.Ordinal));

        var results = await Task.WhenAll(
            CollectAsync(espeak.SynthesizeAsync(new EngineRequest(espeakVoice.NativeName, "Hello from espeak.", Prosody.Default), default)),
            CollectAsync(flite.SynthesizeAsync(Flite("Hello from flite."), default)));

        Assert.Equal(espeakVoice.SampleRate, results[0].SampleRate);
        Assert.Equal(flite.Voices.Single(v => v.NativeName == "kal16").SampleRate, results[1].SampleRate);
        Assert.All(results, r => Assert.True(Sox.Analyze(r.Samples, r.SampleRate).RmsAmplitude > 0.01));
    }
}
