using CallWaiting.Server.Tenants;

namespace CallWaiting.Server.ApiKeys;

/// <summary>What <c>callwaiting keys create</c> asks for; defaults match DESIGN.md §2–§3.</summary>
public sealed record CreateKeysRequest
{
    /// <summary>Longest accepted key name.</summary>
    public const int MaxNameLength = 200;

    /// <summary>Most keys created by one request.</summary>
    public const int MaxCount = 1000;

    /// <summary>Human label of the key(s).</summary>
    public required string Name { get; init; }

    /// <summary>Owning tenant's slug ("default" is created on demand).</summary>
    public string TenantSlug { get; init; } = Tenant.DefaultSlug;

    /// <summary>Comma-separated scopes.</summary>
    public string Scopes { get; init; } = ApiKeys.Scopes.DefaultForNewKeys;

    /// <summary>Requests per minute.</summary>
    public int RateLimitPerMin { get; init; } = ApiKey.DefaultRateLimitPerMin;

    /// <summary>Requests per day.</summary>
    public int RateLimitPerDay { get; init; } = ApiKey.DefaultRateLimitPerDay;

    /// <summary>Expiry instant, or null for never.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>Browser origins allowed to use the key; empty for any.</summary>
    public IReadOnlyList<string> AllowedOrigins { get; init; } = [];

    /// <summary>How many keys to create (1–1000).</summary>
    public int Count { get; init; } = 1;
}
