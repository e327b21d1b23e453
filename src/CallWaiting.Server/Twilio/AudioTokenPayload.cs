using System.Text.Json.Serialization;

namespace CallWaiting.Server.Twilio;

/// <summary>The serialized form of <see cref="AudioTokenClaims"/>: short names, since the token travels in a URL.</summary>
internal sealed record AudioTokenPayload(
    [property: JsonPropertyName("v")] int Version,
    [property: JsonPropertyName("k")] Guid KeyId,
    [property: JsonPropertyName("t")] Guid TenantId,
    [property: JsonPropertyName("e")] long ExpiresAt,
    [property: JsonPropertyName("o")] Guid VoiceId,
    [property: JsonPropertyName("x")] string Text,
    [property: JsonPropertyName("s")] bool Ssml,
    [property: JsonPropertyName("r")] double Speed);
