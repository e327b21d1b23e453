namespace CallWaiting.Speech.Engines;

/// <summary>
/// espeak-ng's clauses for recently phonemized texts, in front of the worker pool: a repeated text (an IVR's greeting,
/// a menu prompt) skips the round trip to a worker. Bounded: the least recently used entry goes first.
/// </summary>
/// <remarks>
/// The key is the espeak-ng voice and the exact text, and espeak-ng's output depends on nothing else, so a hit is what
/// a worker would answer. Clauses are immutable and entries are shared. A text is at most an engine's chunk (400
/// characters), so an entry is a few kilobytes.
/// </remarks>
public sealed class PhonemeCache : IPhonemizer
{
    private readonly IPhonemizer _inner;
    private readonly int _capacity;
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Voice, string Text), LinkedListNode<Entry>> _entries = [];
    private readonly LinkedList<Entry> _recent = new();
    private long _hits, _misses;

    /// <summary>A cache of at most <paramref name="capacity"/> texts in front of <paramref name="inner"/>; 0 caches nothing.</summary>
    public PhonemeCache(IPhonemizer inner, int capacity)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        _inner = inner;
        _capacity = capacity;
    }

    /// <summary>Texts answered from the cache since start.</summary>
    public long Hits => Interlocked.Read(ref _hits);

    /// <summary>Texts sent to a worker since start.</summary>
    public long Misses => Interlocked.Read(ref _misses);

    /// <summary>Texts held now.</summary>
    public int Count
    {
        get
        {
            lock (_gate) return _entries.Count;
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<PhonemeClause>> PhonemizeAsync(string voice, string text, bool continuation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(voice);
        ArgumentNullException.ThrowIfNull(text);
        var key = (voice, text);
        if (_capacity > 0)
        {
            lock (_gate)
            {
                if (_entries.TryGetValue(key, out var node))
                {
                    _recent.Remove(node);
                    _recent.AddFirst(node);
                    Interlocked.Increment(ref _hits);
                    return node.Value.Clauses;
                }
            }
        }
        Interlocked.Increment(ref _misses);
        var clauses = await _inner.PhonemizeAsync(voice, text, continuation, cancellationToken).ConfigureAwait(false);
        if (_capacity == 0) return clauses;
        lock (_gate)
        {
            // Another request for the same text may have finished first; either answer is the same.
            if (_entries.ContainsKey(key)) return clauses;
            _entries.Add(key, _recent.AddFirst(new Entry(key, clauses)));
            while (_entries.Count > _capacity)
            {
                _entries.Remove(_recent.Last!.Value.Key);
                _recent.RemoveLast();
            }
        }
        return clauses;
    }

    private sealed record Entry((string Voice, string Text) Key, IReadOnlyList<PhonemeClause> Clauses);
}
