namespace CallWaiting.Server.Realtime;

/// <summary>What a client message asks for.</summary>
public enum ClientMessageKind
{
    /// <summary>The session configuration (first message only).</summary>
    Config,

    /// <summary>More text, possibly with a flush.</summary>
    Text,

    /// <summary>Synthesize whatever text is buffered, then answer flush_done.</summary>
    Flush,

    /// <summary>Finish the buffered text, send final and close.</summary>
    Close,

    /// <summary>Barge-in: drop buffered text and audio not yet sent.</summary>
    Clear,

    /// <summary>A Twilio event that needs no action here (start, media, mark echoes…).</summary>
    Ignored,
}

/// <summary>One parsed client message.</summary>
/// <param name="Kind">What it asks for.</param>
/// <param name="Text">The text of a <see cref="ClientMessageKind.Text"/> message.</param>
/// <param name="Flush">Whether a text message also flushes.</param>
/// <param name="Config">The configuration of a <see cref="ClientMessageKind.Config"/> message.</param>
public readonly record struct ClientMessage(ClientMessageKind Kind, string? Text = null, bool Flush = false, SessionConfig? Config = null);
