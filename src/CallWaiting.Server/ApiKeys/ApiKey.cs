namespace CallWaiting.Server.ApiKeys;

/// <summary>An API key's stored record, without its hash (safe to list and return).</summary>
/// <param name="Id">Stable identifier.</param>
/// <param name="TenantId">Owning tenant.</param>
/// <param name="Name">Human label.</param>
/// <param name="KeyPrefix">Public lookup prefix, e.g. cw_live_AbCdEfGhIjKl (never the whole key).</param>
/// <param name="Scopes">Granted scopes (see <see cref="ApiKeys.Scopes"/>).</param>
/// <param name="RateLimitPerMin">Requests allowed per minute.</param>
/// <param name="RateLimitPerDay">Requests allowed per day.</param>
/// <param name="Status">Lifecycle state.</param>
/// <param name="ExpiresAt">Instant after which the key is refused, or null for never.</param>
/// <param name="AllowedOrigins">Browser origins allowed to use the key; empty means any.</param>
/// <param name="LastUsedAt">Last successful use (updated in batches), or null.</param>
/// <param name="CreatedAt">Creation instant.</param>
/// <param name="RevokedAt">Revocation instant, or null.</param>
public sealed record ApiKey(
    Guid Id,
    Guid TenantId,
    string Name,
    string KeyPrefix,
    IReadOnlySet<string> Scopes,
    int RateLimitPerMin,
    int RateLimitPerDay,
    ApiKeyStatus Status,
    DateTimeOffset? ExpiresAt,
    IReadOnlyList<string> AllowedOrigins,
    DateTimeOffset? LastUsedAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset? RevokedAt)
{
    /// <summary>Default requests per minute (DESIGN.md §2).</summary>
    public const int DefaultRateLimitPerMin = 120;

    /// <summary>Default requests per day (DESIGN.md §2).</summary>
    public const int DefaultRateLimitPerDay = 10_000;

    /// <summary>Whether the key carries <paramref name="scope"/> (admin implies all).</summary>
    public bool HasScope(string scope) => ApiKeys.Scopes.Grants(Scopes, scope);

    /// <summary>Whether the key has expired at <paramref name="now"/>.</summary>
    public bool IsExpiredAt(DateTimeOffset now) => ExpiresAt is { } expires && expires <= now;

    /// <summary>Whether the key may be used at <paramref name="now"/>: Valid, or why not (Revoked, Suspended, Expired).</summary>
    public ApiKeyVerificationStatus UsabilityAt(DateTimeOffset now) => Status switch
    {
        ApiKeyStatus.Revoked => ApiKeyVerificationStatus.Revoked,
        ApiKeyStatus.Suspended => ApiKeyVerificationStatus.Suspended,
        _ when IsExpiredAt(now) => ApiKeyVerificationStatus.Expired,
        _ => ApiKeyVerificationStatus.Valid,
    };
}
