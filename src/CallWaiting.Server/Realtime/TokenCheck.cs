namespace CallWaiting.Server.Realtime;

/// <summary>The outcome of checking a signed token.</summary>
public enum TokenCheck
{
    /// <summary>Genuine, for this purpose, and not expired.</summary>
    Valid,

    /// <summary>Forged, altered, malformed or minted for another purpose.</summary>
    Invalid,

    /// <summary>Genuine but past its expiry.</summary>
    Expired,
}
