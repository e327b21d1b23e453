using CallWaiting.Server.ApiKeys;

namespace CallWaiting.Server.Tests.ApiKeys;

public sealed class ApiKeyVerificationGateTests
{
    [Fact]
    public async Task A_full_gate_queues_a_bounded_line_for_a_bounded_time_and_refuses_the_rest_at_once()
    {
        var gate = new ApiKeyVerificationGate(slots: 1, queue: 1, maxWait: TimeSpan.FromSeconds(30));
        Assert.True(await gate.TryEnterAsync(CancellationToken.None));

        // The second waits in line; the third finds the line full and is refused without waiting.
        var waiting = gate.TryEnterAsync(CancellationToken.None).AsTask();
        Assert.False(waiting.IsCompleted);
        var refused = gate.TryEnterAsync(CancellationToken.None).AsTask();
        Assert.True(refused.IsCompleted);
        Assert.False(await refused);
        Assert.Equal(2, gate.Admitted);

        gate.Exit();
        Assert.True(await waiting.WaitAsync(TimeSpan.FromSeconds(10)));
        gate.Exit();
        Assert.Equal(0, gate.Admitted);
    }

    [Fact]
    public async Task A_wait_that_runs_out_or_is_cancelled_gives_its_place_back()
    {
        var gate = new ApiKeyVerificationGate(slots: 1, queue: 1, maxWait: TimeSpan.FromMilliseconds(100));
        Assert.True(await gate.TryEnterAsync(CancellationToken.None));
        Assert.False(await gate.TryEnterAsync(CancellationToken.None));
        Assert.Equal(1, gate.Admitted);

        using var cancel = new CancellationTokenSource();
        var cancelled = gate.TryEnterAsync(cancel.Token).AsTask();
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        Assert.Equal(1, gate.Admitted);

        gate.Exit();
        Assert.True(await gate.TryEnterAsync(CancellationToken.None));
        gate.Exit();
    }
}
