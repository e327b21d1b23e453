namespace CallWaiting.Server.Auth;

/// <summary>GET /v1/auth/verify's answer for a valid key.</summary>
/// <param name="Valid">Always true (invalid keys get 401/403).</param>
/// <param name="ApiKeyId">The key's id.</param>
/// <param name="ApiKeyName">The key's name.</param>
/// <param name="TenantId">The key's tenant.</param>
/// <param name="Scopes">The key's scopes.</param>
public sealed record VerifyResponse(bool Valid, Guid ApiKeyId, string ApiKeyName, Guid TenantId, IReadOnlyList<string> Scopes);
