namespace CallWaiting.Server.Twilio;

/// <summary>What a signed audio URL stands for: the synthesis to run and the API key it is charged to.</summary>
/// <param name="KeyId">The key that created the URL (metered, rate-limited, checked still active).</param>
/// <param name="TenantId">The key's tenant (private voices resolve within it).</param>
/// <param name="ExpiresAt">When the URL stops playing.</param>
/// <param name="VoiceId">The resolved voice's UUID.</param>
/// <param name="Text">Plain text, or SSML when <paramref name="Ssml"/>.</param>
/// <param name="Ssml">Whether <paramref name="Text"/> is SSML.</param>
/// <param name="Speed">Speaking speed.</param>
public sealed record AudioTokenClaims(Guid KeyId, Guid TenantId, DateTimeOffset ExpiresAt, Guid VoiceId, string Text, bool Ssml, double Speed);
