using System.Net.WebSockets;
using System.Text;

namespace CallWaiting.Server.Realtime;

// The watchdog and the close handshake: every close goes through CloseAsync, once.
internal sealed partial class RealtimeSession
{
    private const int MaxCloseReasonBytes = 123;
    private const string ShutdownReason = "The server is shutting down.";

    // RFC 6455's registry has 1013 for "try again later", which WebSocketCloseStatus does not name; 1001 is kept for shutdown.
    private const WebSocketCloseStatus TryAgainLater = (WebSocketCloseStatus)1013;

    private async Task WatchAsync(CancellationToken shutdown)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token, shutdown);
        var started = _time.GetTimestamp();
        try
        {
            while (true)
            {
                var now = _time.GetTimestamp();
                var sessionLeft = _options.MaxSessionDuration - _time.GetElapsedTime(started, now);
                if (sessionLeft <= TimeSpan.Zero)
                {
                    await CloseAsync(WebSocketCloseStatus.PolicyViolation, $"Maximum session duration of {_options.MaxSessionDuration} reached.");
                    return;
                }

                // Synthesis in progress counts as activity; a client that stops reading does not (its sends stall).
                bool busy;
                lock (_gate) busy = _current is not null;
                if (busy) Touch();
                var idleLeft = _options.IdleTimeout - _time.GetElapsedTime(Volatile.Read(ref _lastActivity), now);
                if (idleLeft <= TimeSpan.Zero)
                {
                    await CloseAsync(WebSocketCloseStatus.PolicyViolation, $"Idle timeout: nothing received or sent for {_options.IdleTimeout.TotalSeconds:0.#} s.");
                    return;
                }

                var wait = idleLeft < sessionLeft ? idleLeft : sessionLeft;
                if (busy && wait > TimeSpan.FromSeconds(1)) wait = TimeSpan.FromSeconds(1);
                await Task.Delay(wait, _time, linked.Token);
            }
        }
        catch (OperationCanceledException) when (shutdown.IsCancellationRequested && !_stop.IsCancellationRequested)
        {
            await CloseAsync(WebSocketCloseStatus.EndpointUnavailable, ShutdownReason);
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // The session is closing.
        }
    }

    // The reader may be waiting for a payload that never comes, so the close cannot wait for it to see the size.
    private async Task RefuseOversizedFrameAsync(Task<long> oversizedFrame)
    {
        var claimed = await oversizedFrame.WaitAsync(_stop.Token);
        await CloseAsync(WebSocketCloseStatus.MessageTooBig, $"Message too big: a frame of {claimed} bytes; the limit is {_options.MaxMessageBytes} bytes.");
    }

    /// <summary>Closes the session once (later calls share the first): stops the loops, sends the close frame, drops a silent client.</summary>
    private Task CloseAsync(WebSocketCloseStatus status, string reason)
    {
        lock (_gate)
        {
            if (_closing is not null) return _closing;
            _closeStatus = status;
            _closeReason = reason;
            _closing = CloseCoreAsync(status, reason);
            return _closing;
        }
    }

    private async Task CloseCoreAsync(WebSocketCloseStatus status, string reason)
    {
        await Task.Yield(); // never run the close under the caller's lock
        await _stop.CancelAsync();
        _work.Writer.TryComplete();
        _outbound.Writer.TryComplete();
        if (_sendLoop is { } sending && !await FinishesWithinAsync(sending, _options.CloseGrace))
        {
            _socket.Abort(); // the last send is stuck on a client that does not read
            return;
        }

        try
        {
            if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                using var timeout = new CancellationTokenSource(_options.CloseGrace);
                await _socket.CloseOutputAsync(status, Truncate(reason), timeout.Token);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            _socket.Abort();
            return;
        }

        // The reader is waiting for the client's close frame; a client that never answers is dropped.
        if (!await FinishesWithinAsync(_peerClosed.Task, _options.CloseGrace)) _socket.Abort();
    }

    // After a protocol error the reader loop is gone: read (and ignore) until the client answers the close or is dropped.
    private async Task DrainUntilClosedAsync()
    {
        try
        {
            while (await ReceiveMessageAsync(discard: true) >= 0)
            {
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Dropped.
        }
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

    private static async Task Quietly(Task? task)
    {
        if (task is null) return;
        try
        {
            await task;
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The session is over; these are the expected ways its loops stop.
        }
    }

    // Close reasons are at most 123 UTF-8 bytes (RFC 6455 §5.5); cut on a character boundary.
    private static string Truncate(string reason)
    {
        if (Encoding.UTF8.GetByteCount(reason) <= MaxCloseReasonBytes) return reason;
        var length = reason.Length;
        while (Encoding.UTF8.GetByteCount(reason.AsSpan(0, length)) > MaxCloseReasonBytes - 3) length--;
        if (length > 0 && char.IsHighSurrogate(reason[length - 1])) length--;
        return string.Concat(reason.AsSpan(0, length), "…");
    }
}
