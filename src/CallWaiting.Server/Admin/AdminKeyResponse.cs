using System.Text.Json.Serialization;
using CallWaiting.Server.ApiKeys;

namespace CallWaiting.Server.Admin;

/// <summary>An API key as the admin API returns it; <see cref="Key"/> holds the secret only in the answer that created it.</summary>
/// <param name="Id">Stable identifier.</param>
/// <param name="TenantId">Owning tenant.</param>
/// <param name="Name">Human label.</param>
/// <param name="KeyPrefix">Public lookup prefix (never the whole key).</param>
/// <param name="Scopes">Granted scopes, in canonical order.</param>
/// <param name="RateLimitPerMin">Requests allowed per minute.</param>
/// <param name="RateLimitPerDay">Requests allowed per day.</param>
/// <param name="Status">active, suspended or revoked.</param>
/// <param name="ExpiresAt">When the key stops working, or null for never.</param>
/// <param name="AllowedOrigins">Browser origins allowed to use the key; empty for any.</param>
/// <param name="LastUsedAt">Last use (updated in batches), or null.</param>
/// <param name="CreatedAt">Creation instant.</param>
/// <param name="RevokedAt">Revocation instant, or null.</param>
/// <param name="Key">The whole key, in a create or rotate answer only: shown once, never stored.</param>
public sealed record AdminKeyResponse(
    Guid Id,
    Guid TenantId,
    string Name,
    string KeyPrefix,
    IReadOnlyList<string> Scopes,
    int RateLimitPerMin,
    int RateLimitPerDay,
    string Status,
    DateTimeOffset? ExpiresAt,
    IReadOnlyList<string> AllowedOrigins,
    DateTimeOffset? LastUsedAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset? RevokedAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Key = null)
{
    /// <summary>The admin view of a key (without its secret).</summary>
    public static AdminKeyResponse From(ApiKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return new(key.Id, key.TenantId, key.Name, key.KeyPrefix, ApiKeys.Scopes.All.Where(key.Scopes.Contains).ToList(), key.RateLimitPerMin,
            key.RateLimitPerDay, key.Status.ToText(), key.ExpiresAt, key.AllowedOrigins, key.LastUsedAt, key.CreatedAt, key.RevokedAt);
    }

    /// <summary>The answer that shows a new key's secret, once.</summary>
    public static AdminKeyResponse Issued(IssuedApiKey issued)
    {
        ArgumentNullException.ThrowIfNull(issued);
        return From(issued.Credential.Key) with { Key = issued.Key };
    }
}
