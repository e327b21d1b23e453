using System.IO.Compression;
using System.Text.Json;
using CallWaiting.Server.Realtime;
using Microsoft.Extensions.Options;

namespace CallWaiting.Server.Twilio;

/// <summary>
/// Issues and checks the tokens of signed audio URLs (<c>GET /v1/audio/{token}</c>). The payload is Brotli-compressed
/// JSON (text of up to Api:MaxTextLength characters must fit a URL), signed with <see cref="TokenSigner"/>, so the URL
/// carries no API key, cannot be altered, and expires.
/// </summary>
public sealed class AudioTokens(TokenSigner signer, IOptions<TwilioOptions> options, TimeProvider time)
{
    /// <summary>The signing purpose label of these tokens.</summary>
    public const string Purpose = "callwaiting.audio.v1";

    private const int Version = 1;
    private const int MaxPayloadBytes = 512 * 1024;

    /// <summary>A token for this synthesis, charged to the key, valid for the configured lifetime; and its expiry.</summary>
    public (string Token, DateTimeOffset ExpiresAt) Issue(Guid keyId, Guid tenantId, Guid voiceId, string text, bool ssml, double speed)
    {
        ArgumentNullException.ThrowIfNull(text);
        var expires = DateTimeOffset.FromUnixTimeSeconds((time.GetUtcNow() + options.Value.AudioUrlTtl).ToUnixTimeSeconds());
        var json = JsonSerializer.SerializeToUtf8Bytes(
            new AudioTokenPayload(Version, keyId, tenantId, expires.ToUnixTimeSeconds(), voiceId, text, ssml, speed), TwilioJson.Default.AudioTokenPayload);
        using var compressed = new MemoryStream();
        using (var brotli = new BrotliStream(compressed, CompressionLevel.Optimal, leaveOpen: true)) brotli.Write(json);
        return (signer.Sign(Purpose, compressed.GetBuffer().AsSpan(0, (int)compressed.Length)), expires);
    }

    /// <summary>Checks <paramref name="token"/>; <paramref name="claims"/> is set when it is genuine (even if expired).</summary>
    public TokenCheck Verify(string? token, out AudioTokenClaims? claims)
    {
        claims = null;
        if (!signer.TryVerify(Purpose, token, out var compressed)) return TokenCheck.Invalid;
        AudioTokenPayload? payload;
        try
        {
            payload = JsonSerializer.Deserialize(Decompress(compressed), TwilioJson.Default.AudioTokenPayload);
        }
        catch (Exception e) when (e is JsonException or InvalidDataException)
        {
            return TokenCheck.Invalid; // genuine tokens always decode; this only guards a leaked or rotated secret's misuse
        }

        if (payload is null || payload.Version != Version || payload.Text is null) return TokenCheck.Invalid;
        claims = new AudioTokenClaims(payload.KeyId, payload.TenantId, DateTimeOffset.FromUnixTimeSeconds(payload.ExpiresAt),
            payload.VoiceId, payload.Text, payload.Ssml, payload.Speed);
        return claims.ExpiresAt <= time.GetUtcNow() ? TokenCheck.Expired : TokenCheck.Valid;
    }

    private static byte[] Decompress(byte[] compressed)
    {
        using var brotli = new BrotliStream(new MemoryStream(compressed), CompressionMode.Decompress);
        var buffer = new byte[Math.Min(MaxPayloadBytes + 1, Math.Max(compressed.Length * 16, 1024))];
        var length = 0;
        int read;
        while ((read = brotli.Read(buffer, length, buffer.Length - length)) > 0)
        {
            length += read;
            if (length == buffer.Length)
            {
                if (buffer.Length > MaxPayloadBytes) throw new InvalidDataException("The audio token payload is too large.");
                Array.Resize(ref buffer, Math.Min(buffer.Length * 2, MaxPayloadBytes + 1));
            }
        }

        return buffer.AsSpan(0, length).ToArray();
    }
}
