namespace CallWaiting.Server.Cache;

/// <summary>A shared or persistent tier behind the in-process one (Redis, disk). Implementations never throw for an unavailable store: they miss.</summary>
public interface IAudioCacheTier
{
    /// <summary>Short name for metrics and logs ("redis", "disk").</summary>
    string Name { get; }

    /// <summary>The stored entry, or null when absent, unreadable or the store is unavailable.</summary>
    ValueTask<AudioCacheEntry?> GetAsync(AudioCacheKey key, CancellationToken cancellationToken);

    /// <summary>Stores an entry; returns false when the store refused or failed.</summary>
    ValueTask<bool> SetAsync(AudioCacheKey key, AudioCacheEntry entry, CancellationToken cancellationToken);
}
