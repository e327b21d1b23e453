using System.Net.WebSockets;

namespace CallWaiting.Server.Realtime;

/// <summary>
/// Ends sessions that idle or last too long: nothing received or sent for <see cref="RealtimeOptions.IdleTimeout"/>
/// (synthesis in progress counts as activity; a client that stops reading does not, as its sends stall), or
/// <see cref="RealtimeOptions.MaxSessionDuration"/> in all; and the server's shutdown.
/// </summary>
internal sealed class SessionWatchdog(RealtimeOptions options, TimeProvider time)
{
    private long _lastActivity = time.GetTimestamp();

    /// <summary>Notes activity: a message received or sent.</summary>
    public void Touch() => Volatile.Write(ref _lastActivity, time.GetTimestamp());

    /// <summary>
    /// Watches until the session must close, and returns why (1008 idle or too long, 1001 on <paramref name="shutdown"/>),
    /// or null once <paramref name="stop"/> ended the session first. <paramref name="busy"/> says whether synthesis is running.
    /// </summary>
    public async Task<(WebSocketCloseStatus Status, string Reason)?> WatchAsync(Func<bool> busy, CancellationToken stop, CancellationToken shutdown)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stop, shutdown);
        var started = time.GetTimestamp();
        try
        {
            while (true)
            {
                var now = time.GetTimestamp();
                var sessionLeft = options.MaxSessionDuration - time.GetElapsedTime(started, now);
                if (sessionLeft <= TimeSpan.Zero)
                    return (WebSocketCloseStatus.PolicyViolation, $"Maximum session duration of {options.MaxSessionDuration} reached.");

                var working = busy();
                if (working) Touch();
                var idleLeft = options.IdleTimeout - time.GetElapsedTime(Volatile.Read(ref _lastActivity), now);
                if (idleLeft <= TimeSpan.Zero)
                    return (WebSocketCloseStatus.PolicyViolation, $"Idle timeout: nothing received or sent for {options.IdleTimeout.TotalSeconds:0.#} s.");

                var wait = idleLeft < sessionLeft ? idleLeft : sessionLeft;
                if (working && wait > TimeSpan.FromSeconds(1)) wait = TimeSpan.FromSeconds(1);
                await Task.Delay(wait, time, linked.Token);
            }
        }
        catch (OperationCanceledException) when (shutdown.IsCancellationRequested && !stop.IsCancellationRequested)
        {
            return (WebSocketCloseStatus.EndpointUnavailable, RealtimeClose.ShutdownReason);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return null; // the session is closing
        }
    }
}
