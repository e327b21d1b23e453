namespace CallWaiting.Server.Cache;

/// <summary>A cache answer: the entry and the tier it came from.</summary>
/// <param name="Entry">The cached rendering.</param>
/// <param name="Tier">"memory", "redis" or "disk".</param>
public readonly record struct AudioCacheHit(AudioCacheEntry Entry, string Tier);
