namespace CallWaiting.Server.ApiKeys;

/// <summary>
/// Checks a presented key: format → lookup by prefix → scrypt → status and expiry, with successful results
/// cached briefly (by digest) so the request path normally costs one SHA-256 and a dictionary lookup.
/// </summary>
public sealed class ApiKeyVerifier
{
    private readonly ApiKeyRepository _keys;
    private readonly ApiKeyHasher _hasher;
    private readonly ApiKeyVerificationCache _cache;
    private readonly TimeProvider _time;

    /// <summary>Creates the verifier.</summary>
    public ApiKeyVerifier(ApiKeyRepository keys, ApiKeyHasher hasher, ApiKeyVerificationCache cache, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(hasher);
        ArgumentNullException.ThrowIfNull(cache);
        _keys = keys;
        _hasher = hasher;
        _cache = cache;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Verifies a key as presented by a client (null or empty counts as missing → Unknown).</summary>
    public async ValueTask<ApiKeyVerification> VerifyAsync(string? presentedKey, CancellationToken cancellationToken = default)
    {
        if (presentedKey is null || !ApiKeyFormat.IsWellFormed(presentedKey))
        {
            return ApiKeyVerification.Unknown;
        }

        var digest = ApiKeyVerificationCache.Digest(presentedKey);
        if (_cache.TryGet(digest, out var cached))
        {
            if (!cached.IsExpiredAt(_time.GetUtcNow()))
            {
                return new ApiKeyVerification(ApiKeyVerificationStatus.Valid, cached);
            }

            _cache.Remove(digest, cached.Id);
            return new ApiKeyVerification(ApiKeyVerificationStatus.Expired, cached);
        }

        var generation = _cache.Generation;
        var credential = await _keys.FindByPrefixAsync(presentedKey[..ApiKeyFormat.LookupPrefixLength], cancellationToken).ConfigureAwait(false);
        if (credential is null || !_hasher.Verify(credential.KeyHash, presentedKey))
        {
            return ApiKeyVerification.Unknown;
        }

        var key = credential.Key;
        var status = key.UsabilityAt(_time.GetUtcNow());

        if (status == ApiKeyVerificationStatus.Valid)
        {
            _cache.Add(digest, key, generation);
        }

        return new ApiKeyVerification(status, key);
    }

    /// <summary>Drops a key from the verification cache (called on revocation/suspension broadcasts).</summary>
    public void Invalidate(Guid apiKeyId) => _cache.Invalidate(apiKeyId);
}
