using System.Buffers.Binary;
using CallWaiting.Server.ApiKeys;
using Microsoft.Extensions.Options;

namespace CallWaiting.Server.Realtime;

/// <summary>
/// Issues and checks the short-lived tokens that let a browser, which cannot set headers on a WebSocket, open
/// /v1/tts/ws?token=…. The payload is 41 bytes: version, key id, tenant id and expiry (Unix seconds, big-endian).
/// A token may open sessions until it expires; keep the lifetime short (60 s by default).
/// </summary>
public sealed class WsTokens(TokenSigner signer, IOptions<RealtimeOptions> options, TimeProvider time)
{
    /// <summary>The signing purpose label of these tokens.</summary>
    public const string Purpose = "callwaiting.ws.v1";

    private const byte Version = 1;
    private const int PayloadBytes = 1 + 16 + 16 + 8;

    /// <summary>A token for <paramref name="key"/> valid for the configured lifetime, and its expiry.</summary>
    public (string Token, DateTimeOffset ExpiresAt) Issue(ApiKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var expires = DateTimeOffset.FromUnixTimeSeconds((time.GetUtcNow() + options.Value.TokenTtl).ToUnixTimeSeconds());
        Span<byte> payload = stackalloc byte[PayloadBytes];
        payload[0] = Version;
        key.Id.TryWriteBytes(payload.Slice(1, 16));
        key.TenantId.TryWriteBytes(payload.Slice(17, 16));
        BinaryPrimitives.WriteInt64BigEndian(payload[33..], expires.ToUnixTimeSeconds());
        return (signer.Sign(Purpose, payload), expires);
    }

    /// <summary>Checks <paramref name="token"/>; <paramref name="claims"/> is set when it is genuine (even if expired).</summary>
    public TokenCheck Verify(string? token, out WsTokenClaims? claims)
    {
        claims = null;
        if (!signer.TryVerify(Purpose, token, out var payload) || payload.Length != PayloadBytes || payload[0] != Version)
            return TokenCheck.Invalid;
        claims = new WsTokenClaims(
            new Guid(payload.AsSpan(1, 16)),
            new Guid(payload.AsSpan(17, 16)),
            DateTimeOffset.FromUnixTimeSeconds(BinaryPrimitives.ReadInt64BigEndian(payload.AsSpan(33))));
        return claims.ExpiresAt <= time.GetUtcNow() ? TokenCheck.Expired : TokenCheck.Valid;
    }
}
