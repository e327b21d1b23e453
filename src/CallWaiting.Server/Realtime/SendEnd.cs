namespace CallWaiting.Server.Realtime;

/// <summary>Why <see cref="SessionSender.RunAsync"/> stopped.</summary>
internal enum SendEnd
{
    /// <summary>Everything queued was sent and the queue was completed.</summary>
    Drained,

    /// <summary>The session is closing.</summary>
    Stopped,

    /// <summary>The connection broke: nothing more can reach the client.</summary>
    ConnectionLost,

    /// <summary>The session's encoder failed (<see cref="SessionSender.Failure"/>).</summary>
    EncoderFailed,
}
