using System.Collections.Concurrent;
using CallWaiting.Server.Configuration;

namespace CallWaiting.Server.ApiKeys;

/// <summary>
/// Checks a presented key: format → the memory of recent answers (successes by digest, so the request path normally
/// costs one SHA-256 and a dictionary lookup; and recent failures) → a slot at the <see cref="ApiKeyVerificationGate"/>
/// → lookup by prefix → scrypt (against a decoy hash when no key has the prefix) → status and expiry.
/// </summary>
public sealed class ApiKeyVerifier
{
    /// <summary>How long a key found valid is remembered as such (<see cref="WasRecentlyValid"/>), well past its cache entry.</summary>
    public static readonly TimeSpan RecentlyValidTtl = TimeSpan.FromHours(1);

    private readonly ApiKeyRepository _keys;
    private readonly ApiKeyHasher _hasher;
    private readonly ApiKeyVerificationCache _cache;
    private readonly ApiKeyDigestSet _rejected;
    private readonly ApiKeyDigestSet _recentlyValid;
    private readonly ApiKeyVerificationGate _gate;
    private readonly ApiKeyVerificationMetrics _metrics;
    private readonly ConcurrentDictionary<ApiKeyVerificationCache.KeyDigest, Task<ApiKeyVerification>> _inFlight = new();
    private readonly TimeProvider _time;

    /// <summary>Creates the verifier, bounded by <paramref name="options"/> (the defaults when null).</summary>
    public ApiKeyVerifier(
        ApiKeyRepository keys,
        ApiKeyHasher hasher,
        ApiKeyVerificationCache cache,
        TimeProvider? time = null,
        ApiKeyVerificationOptions? options = null,
        ApiKeyVerificationMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(hasher);
        ArgumentNullException.ThrowIfNull(cache);
        options = (options ?? new ApiKeyVerificationOptions()).ThrowIfInvalid(nameof(options));
        _keys = keys;
        _hasher = hasher;
        _cache = cache;
        _time = time ?? TimeProvider.System;
        _rejected = new ApiKeyDigestSet(options.RejectedKeyTtl, options.RejectedKeyMaxEntries, _time);
        _recentlyValid = new ApiKeyDigestSet(RecentlyValidTtl, ApiKeyVerificationCache.DefaultMaxEntries, _time);
        _gate = new ApiKeyVerificationGate(options.MaxConcurrentVerifications, options.MaxQueuedVerifications, options.MaxVerificationWait);
        _metrics = metrics ?? new ApiKeyVerificationMetrics();
    }

    /// <summary>
    /// Answers without the database or scrypt where it can: missing or malformed keys, keys verified recently (valid, or
    /// expired since) and keys that failed recently. False when the key needs <see cref="VerifyAsync"/>.
    /// </summary>
    public bool TryVerifyFromMemory(string? presentedKey, out ApiKeyVerification verification) =>
        TryAnswerFromMemory(presentedKey, out _, out verification);

    /// <summary>
    /// Whether this exact key was found valid here within <see cref="RecentlyValidTtl"/>. Only its holder can present
    /// it, so the HTTP layer lets such a key past its prefix's failure budget: an attack on a prefix does not lock out
    /// a client that keeps using its key after the key's cache entry expired. It still goes through scrypt and status.
    /// </summary>
    public bool WasRecentlyValid(string presentedKey) =>
        ApiKeyFormat.IsWellFormed(presentedKey) && _recentlyValid.Contains(ApiKeyVerificationCache.Digest(presentedKey));

    /// <summary>
    /// Verifies a key as presented by a client (null or empty counts as missing → Unknown). Throws
    /// <see cref="ApiKeyVerificationBusyException"/> when it needs scrypt and no slot frees up in time.
    /// </summary>
    public async ValueTask<ApiKeyVerification> VerifyAsync(string? presentedKey, CancellationToken cancellationToken = default)
    {
        if (TryAnswerFromMemory(presentedKey, out var digest, out var remembered))
        {
            return remembered;
        }

        // Concurrent requests with the same key share one verification, so a client that opens with many parallel
        // requests costs one scrypt and one slot. The shared work ignores any one caller's cancellation; it is bounded
        // by the gate's wait and the database's timeouts.
        var mine = new TaskCompletionSource<ApiKeyVerification>(TaskCreationOptions.RunContinuationsAsynchronously);
        var flight = _inFlight.GetOrAdd(digest, mine.Task);
        if (flight != mine.Task)
        {
            _metrics.Count(ApiKeyVerificationMetrics.Joined);
            return await flight.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        try
        {
            mine.SetResult(await VerifyThroughGateAsync(presentedKey!, digest).ConfigureAwait(false));
        }
        catch (Exception e)
        {
            mine.SetException(e);
        }
        finally
        {
            _inFlight.TryRemove(new KeyValuePair<ApiKeyVerificationCache.KeyDigest, Task<ApiKeyVerification>>(digest, mine.Task));
        }

        return await mine.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Drops a key from the verification cache (called on revocation/suspension broadcasts).</summary>
    public void Invalidate(Guid apiKeyId) => _cache.Invalidate(apiKeyId);

    private bool TryAnswerFromMemory(string? presentedKey, out ApiKeyVerificationCache.KeyDigest digest, out ApiKeyVerification verification)
    {
        digest = default;
        if (presentedKey is null || !ApiKeyFormat.IsWellFormed(presentedKey))
        {
            _metrics.Count(ApiKeyVerificationMetrics.Malformed);
            verification = ApiKeyVerification.Unknown;
            return true;
        }

        digest = ApiKeyVerificationCache.Digest(presentedKey);
        if (_cache.TryGet(digest, out var cached))
        {
            _metrics.Count(ApiKeyVerificationMetrics.Cached);
            if (!cached.IsExpiredAt(_time.GetUtcNow()))
            {
                verification = new ApiKeyVerification(ApiKeyVerificationStatus.Valid, cached);
                return true;
            }

            _cache.Remove(digest, cached.Id);
            verification = new ApiKeyVerification(ApiKeyVerificationStatus.Expired, cached);
            return true;
        }

        if (_rejected.Contains(digest))
        {
            _metrics.Count(ApiKeyVerificationMetrics.RejectedCached);
            verification = ApiKeyVerification.Unknown;
            return true;
        }

        verification = ApiKeyVerification.Unknown;
        return false;
    }

    private async Task<ApiKeyVerification> VerifyThroughGateAsync(string presentedKey, ApiKeyVerificationCache.KeyDigest digest)
    {
        if (!await _gate.TryEnterAsync(CancellationToken.None).ConfigureAwait(false))
        {
            _metrics.Count(ApiKeyVerificationMetrics.Busy);
            throw new ApiKeyVerificationBusyException();
        }

        try
        {
            return await VerifyWithScryptAsync(presentedKey, digest, CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            _gate.Exit();
        }
    }

    private async ValueTask<ApiKeyVerification> VerifyWithScryptAsync(string presentedKey, ApiKeyVerificationCache.KeyDigest digest, CancellationToken cancellationToken)
    {
        var generation = _cache.Generation;
        var credential = await _keys.FindByPrefixAsync(presentedKey[..ApiKeyFormat.LookupPrefixLength], cancellationToken).ConfigureAwait(false);

        // An unknown prefix pays for a verification too, so a refusal takes as long whether or not the prefix exists.
        _metrics.Scrypt.Inc();
        var matches = credential is null ? _hasher.VerifyDecoy(presentedKey) : _hasher.Verify(credential.KeyHash, presentedKey);
        if (!matches)
        {
            _rejected.Add(digest);
            _metrics.Count(ApiKeyVerificationMetrics.Refused);
            return ApiKeyVerification.Unknown;
        }

        var key = credential!.Key;
        var status = key.UsabilityAt(_time.GetUtcNow());

        if (status == ApiKeyVerificationStatus.Valid)
        {
            _cache.Add(digest, key, generation);
            _recentlyValid.Add(digest);
        }
        else if (status == ApiKeyVerificationStatus.Revoked)
        {
            // Revoked for good: its holder no longer passes the prefix's failure budget (a suspension may be lifted).
            _recentlyValid.Remove(digest);
        }

        _metrics.Count(status == ApiKeyVerificationStatus.Valid ? ApiKeyVerificationMetrics.Valid : ApiKeyVerificationMetrics.Refused);
        return new ApiKeyVerification(status, key);
    }
}
