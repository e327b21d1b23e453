namespace CallWaiting.Server.ApiKeys;

/// <summary>A newly created key: the plaintext exists only here, to be shown once, and is never stored.</summary>
/// <param name="Key">The full plaintext key (cw_live_…).</param>
/// <param name="Credential">The stored record and hash.</param>
public sealed record IssuedApiKey(string Key, ApiKeyCredential Credential)
{
    /// <summary>Key id.</summary>
    public Guid Id => Credential.Key.Id;

    /// <summary>Public lookup prefix.</summary>
    public string Prefix => Credential.Key.KeyPrefix;

    /// <summary>Owning tenant.</summary>
    public Guid TenantId => Credential.Key.TenantId;

    /// <summary>Human label.</summary>
    public string Name => Credential.Key.Name;

    /// <summary>Omits the plaintext, so an accidentally logged instance does not leak the key.</summary>
    public override string ToString() => $"IssuedApiKey {{ Id = {Id}, Prefix = {Prefix}, TenantId = {TenantId}, Name = {Name} }}";
}
