namespace CallWaiting.Server.Web;

/// <summary>A web session as POST and GET /web/session answer it: who is logged in, the CSRF token, and the expiry.</summary>
/// <param name="ApiKeyId">The key the session acts as.</param>
/// <param name="ApiKeyName">That key's name.</param>
/// <param name="TenantId">That key's tenant.</param>
/// <param name="Scopes">That key's scopes, in canonical order.</param>
/// <param name="CsrfToken">The value every request made with the session sends in X-CSRF-Token.</param>
/// <param name="ExpiresAt">When the session ends.</param>
public sealed record WebSessionResponse(Guid ApiKeyId, string ApiKeyName, Guid TenantId, IReadOnlyList<string> Scopes, string CsrfToken, DateTimeOffset ExpiresAt);
