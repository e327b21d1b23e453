namespace CallWaiting.Server.Realtime;

/// <summary>What a WebSocket session sends back.</summary>
public enum SessionMode
{
    /// <summary>Binary audio frames plus JSON text frames (ready, alignment, flush_done, final).</summary>
    Default,

    /// <summary>Only Twilio Media Streams messages (media and mark) as JSON text frames, μ-law 8 kHz in 160-byte frames.</summary>
    Twilio,
}
