using CallWaiting.Speech.Engines;

namespace CallWaiting.Server.Cache;

/// <summary>
/// The shared audio cache: the in-process LRU first, then each configured tier in order (Redis, then disk). A hit in
/// a lower tier is copied into the tiers above it. Entries are immutable byte arrays, so a hit is byte-identical to
/// the miss that stored it.
/// </summary>
public sealed class AudioCache
{
    private readonly AudioCacheOptions _options;
    private readonly MemoryAudioCache? _memory;
    private readonly IAudioCacheTier[] _tiers;
    private readonly AudioCacheMetrics _metrics;

    /// <summary>Creates the cache over the given lower tiers (in lookup order).</summary>
    public AudioCache(AudioCacheOptions options, IEnumerable<IAudioCacheTier> tiers, AudioCacheMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _memory = options.MemoryMaxBytes > 0 ? new MemoryAudioCache(options.MemoryMaxBytes) : null;
        _tiers = [.. tiers];
        _metrics = metrics;
    }

    /// <summary>Whether the cache is on.</summary>
    public bool Enabled => _options.Enabled && (_memory is not null || _tiers.Length > 0);

    /// <summary>Largest rendering that is stored.</summary>
    public long MaxEntryBytes => _options.MaxEntryBytes;

    /// <summary>The lower tiers' names, in lookup order.</summary>
    public IEnumerable<string> Tiers => _tiers.Select(t => t.Name);

    /// <summary>Whether renderings of an engine with these capabilities may be cached (see <see cref="AudioCacheOptions.IncludeNondeterministicEngines"/>).</summary>
    public bool Caches(EngineCapabilities capabilities) =>
        Enabled && (capabilities.Deterministic || _options.IncludeNondeterministicEngines);

    /// <summary>Looks the key up tier by tier; a memory hit completes synchronously and allocates nothing.</summary>
    public ValueTask<AudioCacheHit?> GetAsync(AudioCacheKey key, CancellationToken cancellationToken)
    {
        if (_memory is not null && _memory.TryGet(key, out var entry))
        {
            _metrics.MemoryHits.Inc();
            return ValueTask.FromResult<AudioCacheHit?>(new AudioCacheHit(entry, "memory"));
        }
        return _tiers.Length == 0 ? Miss() : GetFromTiersAsync(key, cancellationToken);
    }

    /// <summary>Stores a complete rendering in every tier (unless it is over the size cap). Never throws for a failing store.</summary>
    public async Task StoreAsync(AudioCacheKey key, AudioCacheEntry entry, CancellationToken cancellationToken)
    {
        if (!_options.Enabled || entry.Audio.Length > _options.MaxEntryBytes) return;
        SetMemory(key, entry);
        foreach (var tier in _tiers)
        {
            if (await tier.SetAsync(key, entry, cancellationToken).ConfigureAwait(false)) _metrics.Stores.WithLabels(tier.Name).Inc();
        }
    }

    private async ValueTask<AudioCacheHit?> GetFromTiersAsync(AudioCacheKey key, CancellationToken cancellationToken)
    {
        for (var i = 0; i < _tiers.Length; i++)
        {
            if (await _tiers[i].GetAsync(key, cancellationToken).ConfigureAwait(false) is not { } entry) continue;
            _metrics.Lookups.WithLabels(_tiers[i].Name).Inc();
            SetMemory(key, entry);
            for (var above = 0; above < i; above++) await _tiers[above].SetAsync(key, entry, cancellationToken).ConfigureAwait(false);
            return new AudioCacheHit(entry, _tiers[i].Name);
        }
        return await Miss().ConfigureAwait(false);
    }

    private ValueTask<AudioCacheHit?> Miss()
    {
        _metrics.Misses.Inc();
        return ValueTask.FromResult<AudioCacheHit?>(null);
    }

    private void SetMemory(AudioCacheKey key, AudioCacheEntry entry)
    {
        if (_memory is null) return;
        _memory.Set(key, entry);
        _metrics.Stores.WithLabels("memory").Inc();
        _metrics.MemoryBytes.Set(_memory.Bytes);
    }
}
