namespace CallWaiting.BareKestrel;

/// <summary>The shape of the real server's GET /v1/auth/verify answer, so both send the same bytes' worth of JSON.</summary>
internal sealed record VerifyBody(bool Valid, Guid ApiKeyId, string ApiKeyName, Guid TenantId, IReadOnlyList<string> Scopes);
