namespace CallWaiting.Server.Web;

/// <summary>What a web session cookie stands for: one API key of one tenant, until the session expires.</summary>
/// <param name="KeyId">The API key the session acts as (read again on every request: limits, scopes, metering).</param>
/// <param name="TenantId">The key's tenant, checked again when the session is used.</param>
/// <param name="SessionId">Random per login; the CSRF token is derived from it.</param>
/// <param name="ExpiresAt">When the session ends (absolute).</param>
public sealed record WebSessionClaims(Guid KeyId, Guid TenantId, Guid SessionId, DateTimeOffset ExpiresAt);
