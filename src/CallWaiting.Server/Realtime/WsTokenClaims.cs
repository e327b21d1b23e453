namespace CallWaiting.Server.Realtime;

/// <summary>What a WebSocket token stands for: one API key of one tenant, until it expires.</summary>
/// <param name="KeyId">The API key the session acts as (limits, scopes, metering).</param>
/// <param name="TenantId">The key's tenant, checked again when the token is used.</param>
/// <param name="ExpiresAt">When the token stops opening sessions (an open session is not cut by it).</param>
public sealed record WsTokenClaims(Guid KeyId, Guid TenantId, DateTimeOffset ExpiresAt);
