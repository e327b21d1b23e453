namespace CallWaiting.Server.ApiKeys;

/// <summary>An API key record together with its scrypt hash: only for insertion and verification.</summary>
/// <param name="Key">The record.</param>
/// <param name="KeyHash">libsodium scrypt hash string of the full key ($7$…).</param>
public sealed record ApiKeyCredential(ApiKey Key, string KeyHash)
{
    /// <summary>Omits the hash, so the credential can appear in logs and exception messages.</summary>
    public override string ToString() => $"ApiKeyCredential {{ Id = {Key.Id}, Prefix = {Key.KeyPrefix} }}";
}
