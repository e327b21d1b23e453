namespace CallWaiting.Server.Realtime;

/// <summary>
/// What the sender does with the session's encoder (mp3, opus) for a message. Encoding happens as messages go out, so
/// audio that a barge-in drops never reaches the encoder and the stream stays one unbroken stream.
/// </summary>
internal enum EncoderStep
{
    /// <summary>The payload is sent as it is.</summary>
    None,

    /// <summary>The payload is PCM16 to encode; what the encoder returns is sent.</summary>
    Encode,

    /// <summary>The end of an utterance: flush the encoder (its padding counts as sent audio) and send what it returns.</summary>
    Flush,

    /// <summary>The end of the session's stream (Ogg's end-of-stream page).</summary>
    Complete,
}
