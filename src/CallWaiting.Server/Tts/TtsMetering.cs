namespace CallWaiting.Server.Tts;

/// <summary>What an <see cref="AudioSource"/> meters when its audio is delivered.</summary>
public enum TtsMetering
{
    /// <summary>Every delivery, cache hits and joined renderings flagged cached (an HTTP request).</summary>
    Delivered,

    /// <summary>Only audio synthesized for the caller: a hit or a joined rendering costs nothing (prewarm).</summary>
    SynthesizedOnly,

    /// <summary>Nothing: the caller meters on its own terms (the WebSocket, per flush) or is not a customer (warm-up).</summary>
    None,
}
