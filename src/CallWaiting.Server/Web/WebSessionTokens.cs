using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using CallWaiting.Server.ApiKeys;
using CallWaiting.Server.Realtime;
using Microsoft.Extensions.Options;

namespace CallWaiting.Server.Web;

/// <summary>
/// Issues and checks web session tokens (the <c>cw_session</c> cookie) and their CSRF tokens. The payload is 57 bytes:
/// version, key id, tenant id, a random session id and the expiry (Unix seconds, big-endian), signed by the shared
/// <see cref="TokenSigner"/> under its own purpose, so a session works on every replica and nothing is stored per
/// session. The CSRF token is a MAC of the session id under another purpose: derived, never stored, and unguessable
/// without the secret; a page reads it from the login answer or GET /web/session, which other origins cannot read.
/// </summary>
public sealed class WebSessionTokens(TokenSigner signer, IOptions<WebOptions> options, TimeProvider time)
{
    /// <summary>The signing purpose label of session tokens.</summary>
    public const string Purpose = "callwaiting.web-session.v1";

    /// <summary>The signing purpose label of CSRF tokens.</summary>
    public const string CsrfPurpose = "callwaiting.web-csrf.v1";

    private const byte Version = 1;
    private const int PayloadBytes = 1 + 16 + 16 + 16 + 8;

    /// <summary>A new session for <paramref name="key"/>, valid for <see cref="WebOptions.SessionLifetime"/>: its token and claims.</summary>
    public (string Token, WebSessionClaims Claims) Issue(ApiKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var expires = DateTimeOffset.FromUnixTimeSeconds((time.GetUtcNow() + options.Value.SessionLifetime).ToUnixTimeSeconds());
        var claims = new WebSessionClaims(key.Id, key.TenantId, Guid.NewGuid(), expires);
        Span<byte> payload = stackalloc byte[PayloadBytes];
        payload[0] = Version;
        claims.KeyId.TryWriteBytes(payload.Slice(1, 16));
        claims.TenantId.TryWriteBytes(payload.Slice(17, 16));
        claims.SessionId.TryWriteBytes(payload.Slice(33, 16));
        BinaryPrimitives.WriteInt64BigEndian(payload[49..], expires.ToUnixTimeSeconds());
        return (signer.Sign(Purpose, payload), claims);
    }

    /// <summary>Checks <paramref name="token"/>; <paramref name="claims"/> is set when it is genuine (even if expired).</summary>
    public TokenCheck Verify(string? token, out WebSessionClaims? claims)
    {
        claims = null;
        if (!signer.TryVerify(Purpose, token, out var payload) || payload.Length != PayloadBytes || payload[0] != Version)
            return TokenCheck.Invalid;
        claims = new WebSessionClaims(
            new Guid(payload.AsSpan(1, 16)),
            new Guid(payload.AsSpan(17, 16)),
            new Guid(payload.AsSpan(33, 16)),
            DateTimeOffset.FromUnixTimeSeconds(BinaryPrimitives.ReadInt64BigEndian(payload.AsSpan(49))));
        return claims.ExpiresAt <= time.GetUtcNow() ? TokenCheck.Expired : TokenCheck.Valid;
    }

    /// <summary>The CSRF token of a session.</summary>
    public string CsrfToken(WebSessionClaims claims)
    {
        ArgumentNullException.ThrowIfNull(claims);
        Span<byte> id = stackalloc byte[16];
        claims.SessionId.TryWriteBytes(id);
        return signer.Derive(CsrfPurpose, id);
    }

    /// <summary>Whether <paramref name="presented"/> is the session's CSRF token (compared in constant time).</summary>
    public bool CsrfMatches(WebSessionClaims claims, string? presented)
    {
        var expected = CsrfToken(claims);
        return presented is not null && presented.Length == expected.Length
            && CryptographicOperations.FixedTimeEquals(MemoryMarshal.AsBytes(expected.AsSpan()), MemoryMarshal.AsBytes(presented.AsSpan()));
    }
}
