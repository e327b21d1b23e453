using System.Net.WebSockets;

namespace CallWaiting.Server.Realtime;

/// <summary>
/// The session's close, once (later calls share the first): stop the loops, let the sender finish the frame it is
/// sending, send the close frame, and wait for the client's; a client that does not answer, or a send stuck on a client
/// that does not read, is dropped after <c>grace</c>.
/// </summary>
/// <param name="socket">The session's socket.</param>
/// <param name="grace">How long the last send, the close frame and the client's answer may each take.</param>
/// <param name="peerClosed">Completes when the client's close frame arrived.</param>
/// <param name="stopLoops">Stops the session's loops and returns the send loop, if it runs, to wait for.</param>
internal sealed class CloseHandshake(WebSocket socket, TimeSpan grace, Task peerClosed, Func<Task<Task?>> stopLoops)
{
    private readonly Lock _gate = new();
    private Task? _closing;

    /// <summary>The close code sent, once a close began.</summary>
    public WebSocketCloseStatus? Status { get; private set; }

    /// <summary>The reason sent with it.</summary>
    public string? Reason { get; private set; }

    /// <summary>The close under way, or null.</summary>
    public Task? Closing => Volatile.Read(ref _closing);

    /// <summary>Closes with <paramref name="status"/> and <paramref name="reason"/>, unless a close began already: then that one.</summary>
    public Task CloseAsync(WebSocketCloseStatus status, string reason)
    {
        lock (_gate)
        {
            if (_closing is not null) return _closing;
            Status = status;
            Reason = reason;
            var closing = CloseCoreAsync(status, reason);
            Volatile.Write(ref _closing, closing);
            return closing;
        }
    }

    private async Task CloseCoreAsync(WebSocketCloseStatus status, string reason)
    {
        await Task.Yield(); // never run the close under the caller's lock
        if (await stopLoops() is { } sending && !await FinishesWithinAsync(sending, grace))
        {
            socket.Abort(); // the last send is stuck on a client that does not read
            return;
        }

        try
        {
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                using var timeout = new CancellationTokenSource(grace);
                await socket.CloseOutputAsync(status, RealtimeClose.Truncate(reason), timeout.Token);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            socket.Abort();
            return;
        }

        // The reader is waiting for the client's close frame; a client that never answers is dropped.
        if (!await FinishesWithinAsync(peerClosed, grace)) socket.Abort();
    }

    private static async Task<bool> FinishesWithinAsync(Task task, TimeSpan timeout)
    {
        try
        {
            await task.WaitAsync(timeout);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }
}
