namespace CallWaiting.Server.Cache;

/// <summary>The in-process tier: a least-recently-used map bounded by the total size of its entries in bytes.</summary>
/// <remarks>One lock guards the map and the recency list; a hit moves a node and allocates nothing.</remarks>
public sealed class MemoryAudioCache(long maxBytes)
{
    private readonly Dictionary<AudioCacheKey, LinkedListNode<(AudioCacheKey Key, AudioCacheEntry Entry)>> _map = [];
    private readonly LinkedList<(AudioCacheKey Key, AudioCacheEntry Entry)> _recency = new();
    private readonly Lock _lock = new();
    private long _bytes;

    /// <summary>Bytes held now.</summary>
    public long Bytes
    {
        get
        {
            lock (_lock) return _bytes;
        }
    }

    /// <summary>Entries held now.</summary>
    public int Count
    {
        get
        {
            lock (_lock) return _map.Count;
        }
    }

    /// <summary>The entry, marked as most recently used; false when absent.</summary>
    public bool TryGet(AudioCacheKey key, out AudioCacheEntry entry)
    {
        lock (_lock)
        {
            if (!_map.TryGetValue(key, out var node))
            {
                entry = null!;
                return false;
            }
            _recency.Remove(node);
            _recency.AddFirst(node);
            entry = node.Value.Entry;
            return true;
        }
    }

    /// <summary>Adds or replaces an entry, evicting the least recently used ones past the budget; an entry bigger than the budget is skipped.</summary>
    public void Set(AudioCacheKey key, AudioCacheEntry entry)
    {
        if (entry.Size > maxBytes) return;
        lock (_lock)
        {
            if (_map.Remove(key, out var old))
            {
                _recency.Remove(old);
                _bytes -= old.Value.Entry.Size;
            }
            _map[key] = _recency.AddFirst((key, entry));
            _bytes += entry.Size;
            while (_bytes > maxBytes && _recency.Last is { } last)
            {
                _recency.RemoveLast();
                _map.Remove(last.Value.Key);
                _bytes -= last.Value.Entry.Size;
            }
        }
    }
}
