namespace CallWaiting.Server.Tts;

/// <summary>Where a synthesis's audio comes from.</summary>
public enum AudioOrigin
{
    /// <summary>The audio cache: a complete rendering, costing no synthesis.</summary>
    Hit,

    /// <summary>An identical rendering another request started, read as it is produced (no synthesis of its own).</summary>
    Joined,

    /// <summary>A rendering of its own: synthesized for this request.</summary>
    Miss,
}
