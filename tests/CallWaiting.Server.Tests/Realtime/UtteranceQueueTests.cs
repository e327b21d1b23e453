using CallWaiting.Server.Realtime;

namespace CallWaiting.Server.Tests.Realtime;

/// <summary>The utterance queue: order, back-pressure when full, and barge-in generations.</summary>
public sealed class UtteranceQueueTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Entries_come_out_in_the_order_queued_and_reading_ends_after_complete()
    {
        var queue = new UtteranceQueue(8);
        SynthesisWork[] queued = [new Utterance(0, 1, "One."), new Utterance(0, 2, "Two."), new FlushMarker(0), new Utterance(0, 3, "Three.")];
        foreach (var work in queued) await queue.EnqueueAsync(work, CancellationToken.None);
        queue.Complete();

        Assert.Equal(queued, await ReadAllAsync(queue));
    }

    [Fact]
    public async Task A_full_queue_makes_the_writer_wait_until_an_entry_is_taken()
    {
        var queue = new UtteranceQueue(2);
        await queue.EnqueueAsync(new Utterance(0, 1, "One."), CancellationToken.None);
        await queue.EnqueueAsync(new Utterance(0, 2, "Two."), CancellationToken.None);
        var third = queue.EnqueueAsync(new Utterance(0, 3, "Three."), CancellationToken.None).AsTask();
        await Task.Delay(200);
        Assert.False(third.IsCompleted, "the third entry was taken while the queue was full");

        await using var reader = queue.ReadAllAsync(CancellationToken.None).GetAsyncEnumerator();
        Assert.True(await reader.MoveNextAsync());
        await third.WaitAsync(Patience);
        queue.Complete();
        var rest = new List<SynthesisWork>();
        while (await reader.MoveNextAsync()) rest.Add(reader.Current);
        Assert.Equal([new Utterance(0, 2, "Two."), new Utterance(0, 3, "Three.")], rest);
    }

    [Fact]
    public async Task A_writer_waiting_on_a_full_queue_is_released_by_its_cancellation()
    {
        var queue = new UtteranceQueue(1);
        await queue.EnqueueAsync(new Utterance(0, 1, "One."), CancellationToken.None);
        using var stop = new CancellationTokenSource();
        var waiting = queue.EnqueueAsync(new Utterance(0, 2, "Two."), stop.Token).AsTask();
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(Patience));
    }

    [Fact]
    public async Task Clear_skips_the_entries_queued_before_it_and_cancels_the_utterance_being_synthesized()
    {
        var queue = new UtteranceQueue(8);
        var running = new Utterance(0, 1, "Being said.");
        await queue.EnqueueAsync(new Utterance(0, 2, "Queued."), CancellationToken.None);
        await queue.EnqueueAsync(new FlushMarker(0), CancellationToken.None);

        var current = queue.Start(running, CancellationToken.None)!;
        Assert.True(queue.Busy);
        Assert.Equal(1, queue.Clear());
        Assert.True(current.IsCancellationRequested);
        queue.Finish(current);
        Assert.False(queue.Busy);

        // An utterance of the old generation that was taken before the clear does not start at all.
        Assert.Null(queue.Start(new Utterance(0, 2, "Queued."), CancellationToken.None));
        Assert.False(queue.Busy);

        await queue.EnqueueAsync(new Utterance(1, 3, "After the clear."), CancellationToken.None);
        queue.Complete();
        Assert.Equal([new Utterance(1, 3, "After the clear.")], await ReadAllAsync(queue));
    }

    [Fact]
    public async Task The_utterance_token_follows_the_session_stop_and_a_clear_after_it_finished_cancels_nothing()
    {
        var queue = new UtteranceQueue(8);
        using var stop = new CancellationTokenSource();
        var first = queue.Start(new Utterance(0, 1, "One."), stop.Token)!;
        await stop.CancelAsync();
        Assert.True(first.IsCancellationRequested);
        queue.Finish(first);

        var second = queue.Start(new Utterance(0, 2, "Two."), CancellationToken.None)!;
        var token = second.Token;
        queue.Finish(second);
        queue.Clear(); // must not touch the finished (disposed) source
        Assert.False(token.IsCancellationRequested);
    }

    private static async Task<List<SynthesisWork>> ReadAllAsync(UtteranceQueue queue)
    {
        using var timeout = new CancellationTokenSource(Patience);
        var read = new List<SynthesisWork>();
        await foreach (var work in queue.ReadAllAsync(timeout.Token)) read.Add(work);
        return read;
    }
}
