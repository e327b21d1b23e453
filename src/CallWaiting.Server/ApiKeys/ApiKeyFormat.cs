using System.Buffers.Text;
using System.Security.Cryptography;

namespace CallWaiting.Server.ApiKeys;

/// <summary>
/// The key format: <c>cw_live_</c> + 32 random bytes as unpadded base64url (43 chars, 51 in all). The
/// lookup prefix (stored, unique, shown in listings) is <c>cw_live_</c> + the first 12 secret chars
/// (72 bits), which leaves 184 bits that only the scrypt hash can confirm.
/// </summary>
public static class ApiKeyFormat
{
    /// <summary>Literal start of every live key.</summary>
    public const string LivePrefix = "cw_live_";

    /// <summary>Random bytes in a key.</summary>
    public const int SecretBytes = 32;

    /// <summary>Base64url characters encoding the random bytes.</summary>
    public const int SecretChars = 43;

    /// <summary>Total key length.</summary>
    public const int Length = 51;

    /// <summary>Secret characters included in the lookup prefix.</summary>
    public const int LookupChars = 12;

    /// <summary>Length of the stored lookup prefix (<c>cw_live_</c> + 12 chars).</summary>
    public const int LookupPrefixLength = 20;

    /// <summary>A new random key from the OS CSPRNG.</summary>
    public static string Generate()
    {
        Span<byte> secret = stackalloc byte[SecretBytes];
        RandomNumberGenerator.Fill(secret);
        try
        {
            Span<char> key = stackalloc char[Length];
            LivePrefix.CopyTo(key);
            var written = Base64Url.EncodeToChars(secret, key[LivePrefix.Length..]);
            return written == SecretChars
                ? new string(key)
                : throw new InvalidOperationException("Base64url produced an unexpected length.");
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }

    /// <summary>Whether the text is exactly a canonical key (prefix, length, alphabet, zero padding bits).</summary>
    public static bool IsWellFormed(ReadOnlySpan<char> key)
    {
        if (key.Length != Length || !key.StartsWith(LivePrefix, StringComparison.Ordinal))
        {
            return false;
        }

        var secret = key[LivePrefix.Length..];
        foreach (var c in secret)
        {
            if (SextetOf(c) < 0)
            {
                return false;
            }
        }

        // 43 chars carry 258 bits for 256 bits of data: the last char's two low bits must be zero, so each
        // 32-byte secret has exactly one spelling (no look-alike keys that decode to the same bytes).
        return (SextetOf(secret[^1]) & 0b11) == 0;
    }

    /// <summary>Throws <see cref="ArgumentException"/> (without echoing the key) unless the key is well-formed.</summary>
    public static void Validate(string? key, string parameterName)
    {
        if (key is null || !IsWellFormed(key))
        {
            throw new ArgumentException(
                $"An API key must be '{LivePrefix}' followed by {SecretChars} base64url characters encoding {SecretBytes} bytes ({Length} characters in all).",
                parameterName);
        }
    }

    /// <summary>The stored lookup prefix of a well-formed key.</summary>
    public static string GetLookupPrefix(string key)
    {
        Validate(key, nameof(key));
        return key[..LookupPrefixLength];
    }

    private static int SextetOf(char c) => c switch
    {
        >= 'A' and <= 'Z' => c - 'A',
        >= 'a' and <= 'z' => c - 'a' + 26,
        >= '0' and <= '9' => c - '0' + 52,
        '-' => 62,
        '_' => 63,
        _ => -1,
    };
}
