using System.Buffers;
using System.Buffers.Text;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace CallWaiting.Server.Realtime;

/// <summary>
/// Signs and verifies compact URL-safe tokens, <c>base64url(payload) "." base64url(HMAC-SHA256)</c>. The MAC covers a
/// purpose label and the encoded payload, so a token minted for one use (a WebSocket login) is worthless for another
/// (an audio URL), and a token is checked before any of its bytes are decoded. Expiry lives in each purpose's payload.
/// </summary>
public sealed class TokenSigner
{
    /// <summary>Longest token accepted; anything longer is refused without hashing it.</summary>
    public const int MaxTokenLength = 8192;

    private const int MacBytes = HMACSHA256.HashSizeInBytes;
    private readonly byte[] _key;

    /// <summary>Creates a signer over <paramref name="secret"/> (at least <see cref="RealtimeOptions.MinSecretBytes"/> bytes).</summary>
    public TokenSigner(byte[] secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        if (secret.Length < RealtimeOptions.MinSecretBytes)
            throw new ArgumentException($"A signing secret needs at least {RealtimeOptions.MinSecretBytes} bytes.", nameof(secret));
        _key = secret.ToArray();
    }

    /// <summary>Whether the secret was generated for this process (tokens then work only on this replica until it restarts).</summary>
    public bool IsEphemeral { get; private init; }

    /// <summary>The signer for <paramref name="options"/>: its configured secret, else a random one for this process.</summary>
    public static TokenSigner Create(RealtimeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.SigningSecret is { Length: > 0 } configured
            ? new TokenSigner(Convert.FromBase64String(configured.Trim()))
            : new TokenSigner(RandomNumberGenerator.GetBytes(RealtimeOptions.MinSecretBytes)) { IsEphemeral = true };
    }

    /// <summary>Signs <paramref name="payload"/> for <paramref name="purpose"/>.</summary>
    public string Sign(string purpose, ReadOnlySpan<byte> payload)
    {
        ArgumentException.ThrowIfNullOrEmpty(purpose);
        var encoded = Base64Url.EncodeToString(payload);
        Span<byte> mac = stackalloc byte[MacBytes];
        ComputeMac(purpose, encoded, mac);
        return string.Concat(encoded, ".", Base64Url.EncodeToString(mac));
    }

    /// <summary>
    /// A MAC of <paramref name="payload"/> for <paramref name="purpose"/>, base64url, without the payload: a value derived
    /// from a token's contents (a web session's CSRF token) that only the holder of the secret can compute.
    /// </summary>
    public string Derive(string purpose, ReadOnlySpan<byte> payload)
    {
        ArgumentException.ThrowIfNullOrEmpty(purpose);
        Span<byte> mac = stackalloc byte[MacBytes];
        ComputeMac(purpose, Base64Url.EncodeToString(payload), mac);
        return Base64Url.EncodeToString(mac);
    }

    /// <summary>The payload of a genuine token for <paramref name="purpose"/>; false for anything forged, altered or malformed.</summary>
    public bool TryVerify(string purpose, string? token, out byte[] payload)
    {
        ArgumentException.ThrowIfNullOrEmpty(purpose);
        payload = [];
        if (string.IsNullOrEmpty(token) || token.Length > MaxTokenLength) return false;
        var dot = token.IndexOf('.');
        if (dot <= 0 || dot != token.LastIndexOf('.')) return false;

        var encoded = token.AsSpan(0, dot);
        Span<byte> mac = stackalloc byte[MacBytes];
        ComputeMac(purpose, encoded, mac);
        // Compare the canonical encoding, not decoded bytes: base64 ignores a last character's unused bits, and a token
        // that differs in any character must not verify.
        Span<char> expected = stackalloc char[Base64Url.GetEncodedLength(MacBytes)];
        Base64Url.EncodeToChars(mac, expected);
        var presented = token.AsSpan(dot + 1);
        if (presented.Length != expected.Length
            || !CryptographicOperations.FixedTimeEquals(MemoryMarshal.AsBytes(expected), MemoryMarshal.AsBytes(presented)))
            return false;

        var decoded = new byte[Base64Url.GetMaxDecodedLength(encoded.Length)];
        if (!Base64Url.TryDecodeFromChars(encoded, decoded, out var written)) return false;
        payload = decoded.AsSpan(0, written).ToArray();
        return true;
    }

    private void ComputeMac(string purpose, ReadOnlySpan<char> encodedPayload, Span<byte> mac)
    {
        // purpose NUL payload: the NUL keeps "a"+"bc" and "ab"+"c" apart. Base64url is ASCII, one byte per char.
        var length = Encoding.UTF8.GetByteCount(purpose) + 1 + encodedPayload.Length;
        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            var written = Encoding.UTF8.GetBytes(purpose, rented);
            rented[written++] = 0;
            written += Encoding.ASCII.GetBytes(encodedPayload, rented.AsSpan(written));
            HMACSHA256.HashData(_key, rented.AsSpan(0, written), mac);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
