namespace CallWaiting.Server.ApiKeys;

/// <summary>Outcome of checking a presented API key.</summary>
public enum ApiKeyVerificationStatus
{
    /// <summary>Known, active, unexpired: the request may proceed (subject to scopes and limits).</summary>
    Valid,

    /// <summary>Missing, malformed, unknown or wrong (401).</summary>
    Unknown,

    /// <summary>Genuine but revoked (403).</summary>
    Revoked,

    /// <summary>Genuine but suspended (403).</summary>
    Suspended,

    /// <summary>Genuine but past its expiry (403).</summary>
    Expired,
}
