using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace CallWaiting.Server.ApiKeys;

/// <summary>
/// Short-lived in-process memory of successful verifications, so scrypt runs once per key per TTL, not per
/// request. Entries are keyed by the SHA-256 of the presented key (the key itself is never kept); hash-table
/// equality on that digest reveals nothing usable about the key. <see cref="Invalidate"/> drops a key by id
/// at once (the Redis broadcast and the database's key-change feed call it); the TTL bounds staleness if both fail.
/// </summary>
public sealed class ApiKeyVerificationCache
{
    /// <summary>Default lifetime of an entry.</summary>
    public static readonly TimeSpan DefaultTimeToLive = TimeSpan.FromSeconds(30);

    /// <summary>Default bound on the number of entries.</summary>
    public const int DefaultMaxEntries = 10_000;

    private readonly ConcurrentDictionary<KeyDigest, Entry> _entries = new();
    private readonly ConcurrentDictionary<Guid, KeyDigest> _digestById = new();
    private readonly TimeProvider _time;
    private readonly TimeSpan _timeToLive;
    private readonly int _maxEntries;
    private long _generation;

    /// <summary>Creates an empty cache.</summary>
    public ApiKeyVerificationCache(TimeSpan? timeToLive = null, int maxEntries = DefaultMaxEntries, TimeProvider? time = null)
    {
        _timeToLive = timeToLive ?? DefaultTimeToLive;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(_timeToLive, TimeSpan.Zero, nameof(timeToLive));
        ArgumentOutOfRangeException.ThrowIfLessThan(maxEntries, 1);
        _maxEntries = maxEntries;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Number of live or not-yet-swept entries.</summary>
    public int Count => _entries.Count;

    /// <summary>Bumped by every invalidation; a verification that started before a bump must not cache its result.</summary>
    internal long Generation => Interlocked.Read(ref _generation);

    /// <summary>Raised after <see cref="Invalidate"/>: the key with this id changed (revoked, suspended, …).</summary>
    public event Action<Guid>? KeyChanged;

    /// <summary>Raised after <see cref="InvalidateTenant"/>: the tenant with this id changed status.</summary>
    public event Action<Guid>? TenantChanged;

    /// <summary>Forgets the key with this id, so its next use is checked against the database.</summary>
    public void Invalidate(Guid apiKeyId)
    {
        Interlocked.Increment(ref _generation);
        if (_digestById.TryRemove(apiKeyId, out var digest))
        {
            _entries.TryRemove(digest, out _);
        }
        KeyChanged?.Invoke(apiKeyId);
    }

    /// <summary>Forgets every key of this tenant (its status changed), so their next use is checked against the database.</summary>
    public void InvalidateTenant(Guid tenantId)
    {
        Interlocked.Increment(ref _generation);
        foreach (var (digest, entry) in _entries)
        {
            if (entry.Key.TenantId == tenantId)
            {
                Remove(digest, entry.Key.Id);
            }
        }
        TenantChanged?.Invoke(tenantId);
    }

    /// <summary>Forgets everything (e.g. after losing the revocation channel, when broadcasts may have been missed).</summary>
    public void Clear()
    {
        Interlocked.Increment(ref _generation);
        _entries.Clear();
        _digestById.Clear();
    }

    /// <summary>The digest under which a presented key is cached.</summary>
    internal static KeyDigest Digest(string key)
    {
        Span<byte> utf8 = stackalloc byte[ApiKeyFormat.Length];
        var length = Encoding.ASCII.GetBytes(key, utf8);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(utf8[..length], hash);
        CryptographicOperations.ZeroMemory(utf8);
        return new KeyDigest(
            BinaryPrimitives.ReadUInt128LittleEndian(hash),
            BinaryPrimitives.ReadUInt128LittleEndian(hash[16..]));
    }

    internal bool TryGet(KeyDigest digest, out ApiKey key)
    {
        if (_entries.TryGetValue(digest, out var entry))
        {
            if (entry.ExpiresAt > _time.GetUtcNow())
            {
                key = entry.Key;
                return true;
            }

            Remove(digest, entry.Key.Id);
        }

        key = null!;
        return false;
    }

    /// <summary>Caches a valid key unless an invalidation happened since <paramref name="generation"/> was read.</summary>
    internal void Add(KeyDigest digest, ApiKey key, long generation)
    {
        if (_entries.Count >= _maxEntries)
        {
            SweepExpired();
            if (_entries.Count >= _maxEntries)
            {
                return;
            }
        }

        _entries[digest] = new Entry(key, _time.GetUtcNow() + _timeToLive);
        _digestById[key.Id] = digest;

        // An Invalidate that raced with this add may have missed the new entry: undo it.
        if (Generation != generation)
        {
            Remove(digest, key.Id);
        }
    }

    internal void Remove(KeyDigest digest, Guid apiKeyId)
    {
        _entries.TryRemove(digest, out _);
        _digestById.TryRemove(new KeyValuePair<Guid, KeyDigest>(apiKeyId, digest));
    }

    private void SweepExpired()
    {
        var now = _time.GetUtcNow();
        foreach (var (digest, entry) in _entries)
        {
            if (entry.ExpiresAt <= now)
            {
                Remove(digest, entry.Key.Id);
            }
        }
    }

    /// <summary>A SHA-256 digest as two 128-bit halves (cheap equality and hashing, no allocation).</summary>
    internal readonly record struct KeyDigest(UInt128 Low, UInt128 High);

    private sealed record Entry(ApiKey Key, DateTimeOffset ExpiresAt);
}
