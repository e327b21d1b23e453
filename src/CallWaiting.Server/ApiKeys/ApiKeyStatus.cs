namespace CallWaiting.Server.ApiKeys;

/// <summary>Lifecycle state of an API key (stored lower-case in <c>api_keys.status</c>).</summary>
public enum ApiKeyStatus
{
    /// <summary>Usable.</summary>
    Active,

    /// <summary>Permanently withdrawn; cannot be re-activated.</summary>
    Revoked,

    /// <summary>Temporarily blocked; can be re-activated.</summary>
    Suspended,
}
