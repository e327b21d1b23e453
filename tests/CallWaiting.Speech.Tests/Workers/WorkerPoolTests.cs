using CallWaiting.Speech.Engines;
using CallWaiting.Speech.Tests.Support;
using static CallWaiting.Speech.Tests.Workers.WorkersKit;

namespace CallWaiting.Speech.Tests.Workers;

/// <summary>Normal operation of the pool with real worker processes and the real flite engine.</summary>
public sealed class WorkerPoolTests
{
    [Fact]
    public async Task Pool_announces_the_workers_engines_and_voices()
    {
        await using var pool = await StartPoolAsync(2);
        Assert.Contains("flite", pool.Engines);
        Assert.Contains(pool.Voices, v => v is { Engine: "flite", NativeName: "slt", SampleRate: > 0 });
        Assert.True(pool.GetCapabilities("flite").MaxChunkChars > 0);
        Assert.Throws<ArgumentException>(() => pool.GetCapabilities("no-such-engine"));
        Assert.Equal(2, pool.WorkerProcessIds.Distinct().Count());
        Assert.All(pool.WorkerProcessIds, pid => Assert.True(ProcessExists(pid)));
        Assert.Equal(0, pool.BusyWorkers);
    }

    [Fact]
    public async Task Request_returns_non_silent_audio_at_the_voice_rate()
    {
        await using var pool = await StartPoolAsync(1);
        var voice = pool.Voices.Single(v => v.Engine == "flite" && v.NativeName == "slt");

        var audio = await CollectAsync(pool.SynthesizeAsync("flite", Flite("Hello there, this is a test call.", "slt"), default));

        Assert.Equal(voice.SampleRate, audio.SampleRate);
        var report = Sox.Analyze(audio.Samples, audio.SampleRate);
        Assert.Equal(voice.SampleRate, report.SampleRate);
        Assert.InRange(report.Seconds, audio.Seconds * 0.98, audio.Seconds * 1.02);
        Assert.InRange(report.Seconds, 1.0, 10.0);
        Assert.True(report.RmsAmplitude > 0.01, $"RMS {report.RmsAmplitude} is too quiet.");
        Assert.Contains(audio.Words, w => w.Word.Equals("test", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(0, pool.BusyWorkers);
    }

    [Fact]
    public async Task Concurrent_requests_on_two_workers_all_return_their_own_audio()
    {
        await using var pool = await StartPoolAsync(2);
        string[] texts = ["One moment please.", "Your call is important to us.", "Press one for sales.",
            "Press two for support.", "Thank you for waiting.", "Goodbye and have a nice day."];
        var sequential = new List<Collected>();
        foreach (var text in texts) sequential.Add(await CollectAsync(pool.SynthesizeAsync("flite", Flite(text), default)));

        var concurrent = await Task.WhenAll(texts.Select(t => CollectAsync(pool.SynthesizeAsync("flite", Flite(t), default))));

        for (var i = 0; i < texts.Length; i++)
        {
            Assert.True(concurrent[i].Samples.Length > concurrent[i].SampleRate / 2, $"'{texts[i]}' is too short.");
            Assert.Equal(sequential[i].Samples, concurrent[i].Samples);
        }
        Assert.Equal(0, pool.BusyWorkers);
        Assert.Equal(0, pool.WorkerRestarts);
    }

    [Fact]
    public async Task Invalid_requests_fail_typed_and_leave_the_worker_usable()
    {
        await using var pool = await StartPoolAsync(1);
        var pid = Assert.Single(pool.WorkerProcessIds);

        var unknownVoice = await Assert.ThrowsAsync<EngineException>(() => CollectAsync(pool.SynthesizeAsync("flite", Flite("Hi.", "nobody"), default)));
        Assert.Equal(EngineErrorKind.InvalidRequest, unknownVoice.Kind);
        var unknownEngine = await Assert.ThrowsAsync<EngineException>(() => CollectAsync(pool.SynthesizeAsync("nope", Flite("Hi."), default)));
        Assert.Equal(EngineErrorKind.InvalidRequest, unknownEngine.Kind);
        var tooLong = await Assert.ThrowsAsync<EngineException>(() => CollectAsync(pool.SynthesizeAsync("flite", Flite(new string('a', 5000)), default)));
        Assert.Equal(EngineErrorKind.InvalidRequest, tooLong.Kind);

        var audio = await CollectAsync(pool.SynthesizeAsync("flite", Flite("Still here."), default));
        Assert.NotEmpty(audio.Samples);
        Assert.Equal([pid], pool.WorkerProcessIds);
        Assert.Equal(0, pool.WorkerRestarts);
    }

    [Fact]
    public async Task Cancelling_mid_stream_frees_the_worker_for_the_next_request()
    {
        await using var pool = await StartPoolAsync(1);
        var pid = Assert.Single(pool.WorkerProcessIds);
        using var cts = new CancellationTokenSource();
        await using (var stream = await StartStreamingAsync(pool, LongFlite(), cts.Token))
        {
            Assert.Equal(1, pool.BusyWorkers);
            cts.Cancel();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
            {
                while (await stream.MoveNextAsync()) { }
            });
        }

        Assert.Equal(0, pool.BusyWorkers);
        var audio = await CollectAsync(pool.SynthesizeAsync("flite", Flite("Next caller."), default));
        Assert.NotEmpty(audio.Samples);
        Assert.Equal([pid], pool.WorkerProcessIds);
        Assert.Equal(0, pool.WorkerRestarts);
    }

    [Fact]
    public async Task Breaking_out_of_await_foreach_frees_the_worker()
    {
        await using var pool = await StartPoolAsync(1);
        var pid = Assert.Single(pool.WorkerProcessIds);
        var chunks = 0;
        await foreach (var chunk in pool.SynthesizeAsync("flite", LongFlite(), default))
        {
            Assert.Equal(1, pool.BusyWorkers);
            if (++chunks == 2) break;
        }

        Assert.Equal(0, pool.BusyWorkers);
        var reference = await CollectAsync(pool.SynthesizeAsync("flite", Flite("Next caller."), default));
        var again = await CollectAsync(pool.SynthesizeAsync("flite", Flite("Next caller."), default));
        Assert.Equal(reference.Samples, again.Samples); // No stale frames of the abandoned request leaked in.
        Assert.Equal([pid], pool.WorkerProcessIds);
        Assert.Equal(0, pool.WorkerRestarts);
    }

    [Fact]
    public async Task Cancelling_a_queued_request_leaves_the_queue()
    {
        await using var pool = await StartPoolAsync(1);
        await using var busy = await StartStreamingAsync(pool, LongFlite());
        using var cts = new CancellationTokenSource();
        var queued = CollectAsync(pool.SynthesizeAsync("flite", Flite("Waiting."), cts.Token));
        await WaitUntilAsync(() => pool.QueueDepth == 1, "the request is queued");

        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queued);
        Assert.Equal(0, pool.QueueDepth);
        Assert.Equal(1, pool.BusyWorkers);
    }

    [Fact]
    public async Task Worker_engine_adapts_one_engine_of_the_pool()
    {
        await using var pool = await StartPoolAsync(1);
        var engines = WorkerEngine.ForAll(pool);
        var flite = Assert.Single(engines, e => e.Name == "flite");
        Assert.Equal(pool.GetCapabilities("flite"), flite.Capabilities);
        Assert.NotEmpty(flite.Voices);
        Assert.All(flite.Voices, v => Assert.Equal("flite", v.Engine));
        Assert.Throws<ArgumentException>(() => new WorkerEngine(pool, "missing"));

        var audio = await CollectAsync(flite.SynthesizeAsync(Flite("Adapter check."), default));
        Assert.Equal(flite.Voices.Single(v => v.NativeName == "kal16").SampleRate, audio.SampleRate);
        Assert.NotEmpty(audio.Samples);
    }
}
