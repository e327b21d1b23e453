using System.Collections.Concurrent;
using KeyDigest = CallWaiting.Server.ApiKeys.ApiKeyVerificationCache.KeyDigest;

namespace CallWaiting.Server.ApiKeys;

/// <summary>
/// A bounded set of presented keys (by the SHA-256 of the whole key, never the key), each forgotten after a time to
/// live: the verifier's memory of keys that failed, and of keys that were valid. Only exact keys match, so nobody can
/// reach an entry without holding the key it stands for. When full of live entries, new keys are not added.
/// </summary>
public sealed class ApiKeyDigestSet
{
    private readonly ConcurrentDictionary<KeyDigest, DateTimeOffset> _entries = new();
    private readonly TimeProvider _time;
    private readonly TimeSpan _timeToLive;
    private readonly int _maxEntries;

    /// <summary>Creates an empty set whose entries live <paramref name="timeToLive"/>.</summary>
    public ApiKeyDigestSet(TimeSpan timeToLive, int maxEntries, TimeProvider? time = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeToLive, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxEntries, 1);
        _timeToLive = timeToLive;
        _maxEntries = maxEntries;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Number of live or not-yet-swept entries.</summary>
    public int Count => _entries.Count;

    /// <summary>Whether this key was added within the time to live.</summary>
    internal bool Contains(KeyDigest digest)
    {
        if (!_entries.TryGetValue(digest, out var expiresAt)) return false;
        if (expiresAt > _time.GetUtcNow()) return true;
        _entries.TryRemove(new KeyValuePair<KeyDigest, DateTimeOffset>(digest, expiresAt));
        return false;
    }

    /// <summary>Forgets a key.</summary>
    internal void Remove(KeyDigest digest) => _entries.TryRemove(digest, out _);

    /// <summary>Adds a key, or renews its time to live.</summary>
    internal void Add(KeyDigest digest)
    {
        var now = _time.GetUtcNow();
        if (_entries.Count >= _maxEntries)
        {
            foreach (var (old, expiresAt) in _entries)
            {
                if (expiresAt <= now) _entries.TryRemove(new KeyValuePair<KeyDigest, DateTimeOffset>(old, expiresAt));
            }

            if (_entries.Count >= _maxEntries) return;
        }

        _entries[digest] = now + _timeToLive;
    }
}
