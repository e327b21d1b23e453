namespace CallWaiting.Server.ApiKeys;

/// <summary>The settings of an existing key to change; a null member keeps its setting.</summary>
public sealed record KeyUpdate
{
    /// <summary>A new name.</summary>
    public string? Name { get; init; }

    /// <summary>New scopes, comma-separated.</summary>
    public string? Scopes { get; init; }

    /// <summary>A new per-minute limit.</summary>
    public int? RateLimitPerMin { get; init; }

    /// <summary>A new per-day limit.</summary>
    public int? RateLimitPerDay { get; init; }

    /// <summary>New allowed origins (empty: any origin).</summary>
    public IReadOnlyList<string>? AllowedOrigins { get; init; }

    /// <summary>Whether to change the expiry (to <see cref="ExpiresAt"/>, which may be null: never).</summary>
    public bool SetsExpiry { get; init; }

    /// <summary>The new expiry when <see cref="SetsExpiry"/>.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }
}
