namespace CallWaiting.Server.Realtime;

/// <summary>
/// Spaces frames at a fixed interval against a running schedule (not "interval after the last send"), so timer slack
/// does not add up and the stream keeps real time; after a gap of more than a few frames the schedule restarts.
/// </summary>
internal sealed class FramePacer(TimeProvider time, TimeSpan interval)
{
    private const int MaxLateFrames = 3;
    private long _due;

    /// <summary>Waits until the next frame is due.</summary>
    public async ValueTask WaitAsync(CancellationToken cancellationToken)
    {
        var now = time.GetTimestamp();
        var step = (long)(interval.TotalSeconds * time.TimestampFrequency);
        if (_due == 0 || now - _due > MaxLateFrames * step) _due = now;
        if (_due > now)
            await Task.Delay(TimeSpan.FromSeconds((double)(_due - now) / time.TimestampFrequency), time, cancellationToken).ConfigureAwait(false);
        _due += step;
    }
}
