using CallWaiting.Speech.Audio;
using CallWaiting.Speech.Engines;
using static CallWaiting.Speech.Tests.Workers.WorkersKit;

namespace CallWaiting.Speech.Tests.Workers;

/// <summary>Crashes, hangs, overload and shutdown, provoked on real worker processes with real signals.</summary>
public sealed class WorkerSupervisionTests
{
    [Fact]
    public async Task Killed_busy_worker_fails_only_its_request_and_is_replaced()
    {
        await using var pool = await StartPoolAsync(2);
        var pids = pool.WorkerProcessIds;
        var first = await StartStreamingAsync(pool, LongFlite());
        var second = await StartStreamingAsync(pool, LongFlite());
        Assert.Equal(2, pool.BusyWorkers);

        Signal(pids[0], "KILL");
        var outcomes = await Task.WhenAll(OutcomeAsync(first), OutcomeAsync(second));

        // Both requests had already yielded audio, so the victim's request cannot be retried: it fails cleanly.
        var failure = Assert.Single(outcomes, o => o.Error is not null).Error!;
        Assert.Equal(EngineErrorKind.EngineFailure, failure.Kind);
        Assert.DoesNotContain("   at ", failure.Message);
        Assert.Single(outcomes, o => o is { Error: null, Chunks: > 0 });

        await WaitUntilAsync(() => pool.WorkerRestarts == 1 && pool.WorkerProcessIds.Length == 2, "the worker is replaced");
        Assert.DoesNotContain(pids[0], pool.WorkerProcessIds);
        Assert.Contains(pids[1], pool.WorkerProcessIds);
        Assert.Equal(0, pool.BusyWorkers);
        var audio = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => CollectAsync(pool.SynthesizeAsync("flite", Flite("Back again."), default))));
        Assert.All(audio, a => Assert.NotEmpty(a.Samples));
    }

    [Fact]
    public async Task Request_on_a_worker_that_dies_before_any_audio_is_retried_on_a_fresh_worker()
    {
        await using var pool = await StartPoolAsync(1);
        var pid = Assert.Single(pool.WorkerProcessIds);
        var expected = await CollectAsync(pool.SynthesizeAsync("flite", Flite("Retry me."), default));

        // A stopped worker accepts the request into its pipe but cannot answer; killing it loses the request.
        Signal(pid, "STOP");
        var request = CollectAsync(pool.SynthesizeAsync("flite", Flite("Retry me."), default));
        await WaitUntilAsync(() => pool.BusyWorkers == 1, "the request holds the worker");
        Signal(pid, "KILL");

        var audio = await request.WaitAsync(Patience);
        Assert.Equal(expected.Samples, audio.Samples);
        Assert.Equal(1, pool.WorkerRestarts);
        Assert.NotEqual(pid, Assert.Single(pool.WorkerProcessIds));
    }

    [Fact]
    public async Task Hung_worker_times_out_and_is_replaced()
    {
        var timeout = TimeSpan.FromSeconds(2);
        await using var pool = await StartPoolAsync(1, o => o.RequestTimeout = timeout);
        var pid = Assert.Single(pool.WorkerProcessIds);
        await using var stream = await StartStreamingAsync(pool, LongFlite());

        Signal(pid, "STOP");
        var error = await Assert.ThrowsAsync<EngineException>(() => DrainAsync(stream));

        Assert.Equal(EngineErrorKind.EngineFailure, error.Kind);
        await WaitUntilAsync(() => !ProcessExists(pid), "the hung worker is killed and reaped");
        await WaitUntilAsync(() => pool.WorkerRestarts == 1 && pool.WorkerProcessIds.Length == 1, "the worker is replaced");
        Assert.NotEqual(pid, pool.WorkerProcessIds[0]);
        var audio = await CollectAsync(pool.SynthesizeAsync("flite", Flite("Working again."), default));
        Assert.NotEmpty(audio.Samples);
    }

    [Fact]
    public async Task Request_past_max_duration_is_cancelled_and_the_worker_kept()
    {
        // Long enough that a loaded machine still delivers the first chunk inside it (1 s flaked in CI-like runs).
        var limit = TimeSpan.FromSeconds(3);
        await using var pool = await StartPoolAsync(1, o => o.MaxRequestDuration = limit);
        var pid = Assert.Single(pool.WorkerProcessIds);
        await using (var stream = await StartStreamingAsync(pool, LongFlite()))
        {
            await Task.Delay(limit * 1.5); // A consumer too slow for the limit.
            var error = await Assert.ThrowsAsync<EngineException>(() => DrainAsync(stream));
            Assert.Equal(EngineErrorKind.EngineFailure, error.Kind);
            Assert.Contains("limit", error.Message);
        }

        Assert.Equal(0, pool.BusyWorkers);
        var audio = await CollectAsync(pool.SynthesizeAsync("flite", Flite("Next."), default));
        Assert.NotEmpty(audio.Samples);
        Assert.Equal([pid], pool.WorkerProcessIds);
        Assert.Equal(0, pool.WorkerRestarts);
    }

    [Fact]
    public async Task Idle_worker_that_dies_is_replaced()
    {
        await using var pool = await StartPoolAsync(2);
        var victim = pool.WorkerProcessIds[1];

        Signal(victim, "KILL");

        await WaitUntilAsync(() => pool.WorkerRestarts == 1 && pool.WorkerProcessIds.Length == 2, "the worker is replaced");
        Assert.DoesNotContain(victim, pool.WorkerProcessIds);
        var audio = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => CollectAsync(pool.SynthesizeAsync("flite", Flite("Still fine."), default))));
        Assert.All(audio, a => Assert.NotEmpty(a.Samples));
    }

    [Fact]
    public async Task Full_queue_fails_fast_with_overloaded()
    {
        await using var pool = await StartPoolAsync(1, o => o.QueueCapacity = 1);
        await using var first = await StartStreamingAsync(pool, LongFlite());
        using var cts = new CancellationTokenSource();
        var second = CollectAsync(pool.SynthesizeAsync("flite", LongFlite(), cts.Token), cts.Token);
        await WaitUntilAsync(() => pool.QueueDepth == 1, "the second request is queued");

        var third = await Assert.ThrowsAsync<EngineException>(() => CollectAsync(pool.SynthesizeAsync("flite", LongFlite(), default)));

        Assert.Equal(EngineErrorKind.Overloaded, third.Kind);
        Assert.Equal(1, pool.BusyWorkers);
        Assert.Equal(1, pool.QueueDepth);
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => second);
    }

    [Fact]
    public async Task A_stream_in_progress_is_never_refused_and_goes_ahead_of_new_requests()
    {
        await using var pool = await StartPoolAsync(1, o => o.QueueCapacity = 1);
        var first = await StartStreamingAsync(pool, LongFlite());
        var order = new List<string>();
        async Task RunAsync(string name, EngineRequest request)
        {
            await CollectAsync(pool.SynthesizeAsync("flite", request, default));
            lock (order) order.Add(name);
        }

        var fresh = RunAsync("new", LongFlite());
        await WaitUntilAsync(() => pool.QueueDepth == 1, "the new request is queued");
        var refused = await Assert.ThrowsAsync<EngineException>(() => CollectAsync(pool.SynthesizeAsync("flite", LongFlite(), default)));
        Assert.Equal(EngineErrorKind.Overloaded, refused.Kind);

        // The next sentence of the first stream finds the queue full of new work, and still gets in, at the front.
        var next = RunAsync("continuation", Flite("The next sentence of the first stream.") with { Continuation = true });
        await WaitUntilAsync(() => pool.QueueDepth == 2, "the continuation is queued");
        await DrainAsync(first);
        await first.DisposeAsync();
        await Task.WhenAll(fresh, next).WaitAsync(Patience);

        Assert.Equal(["continuation", "new"], order);
    }

    [Fact]
    public async Task Disposing_the_pool_kills_every_worker_and_fails_new_requests()
    {
        var pool = await StartPoolAsync(2);
        var pids = pool.WorkerProcessIds;
        var busy = await StartStreamingAsync(pool, LongFlite());

        await pool.DisposeAsync();

        Assert.All(pids, pid => Assert.False(ProcessExists(pid), $"Worker {pid} outlived the pool."));
        await Assert.ThrowsAsync<EngineException>(() => DrainAsync(busy));
        await busy.DisposeAsync();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => CollectAsync(pool.SynthesizeAsync("flite", Flite("Too late."), default)));
        Assert.Equal(0, pool.BusyWorkers);
    }

    private static async Task<(EngineException? Error, int Chunks)> OutcomeAsync(IAsyncEnumerator<AudioChunk> stream)
    {
        await using (stream)
        {
            try
            {
                return (null, await DrainAsync(stream));
            }
            catch (EngineException e)
            {
                return (e, 0);
            }
        }
    }
}
