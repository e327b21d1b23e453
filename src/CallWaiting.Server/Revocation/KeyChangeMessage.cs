using System.Diagnostics.CodeAnalysis;

namespace CallWaiting.Server.Revocation;

/// <summary>The wire form of a key change, "&lt;key id&gt;:&lt;status&gt;", e.g. "1b4e28ba-2fa1-11d2-883f-0016d3cca427:revoked".</summary>
internal static class KeyChangeMessage
{
    private const int MaxStatusLength = 32;

    /// <summary>Formats a change; throws <see cref="ArgumentException"/> for a blank, over-long or ':'-bearing status.</summary>
    public static string Format(Guid apiKeyId, string newStatus)
    {
        ValidateStatus(newStatus);
        return string.Concat(apiKeyId.ToString("D"), ":", newStatus);
    }

    /// <summary>Throws <see cref="ArgumentException"/> unless <paramref name="newStatus"/> is 1-32 characters, no whitespace or ':'.</summary>
    public static void ValidateStatus(string newStatus)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(newStatus);
        if (newStatus.Length > MaxStatusLength || newStatus.Contains(':') || newStatus.Any(char.IsWhiteSpace))
        {
            throw new ArgumentException($"A key status must be 1-{MaxStatusLength} characters without ':' or whitespace.", nameof(newStatus));
        }
    }

    /// <summary>Parses a message; false for anything malformed.</summary>
    public static bool TryParse(string? message, out Guid apiKeyId, [NotNullWhen(true)] out string? newStatus)
    {
        newStatus = null;
        apiKeyId = Guid.Empty;
        if (message is null)
        {
            return false;
        }

        var separator = message.IndexOf(':');
        if (separator <= 0 || separator == message.Length - 1 || !Guid.TryParseExact(message.AsSpan(0, separator), "D", out apiKeyId))
        {
            return false;
        }

        newStatus = message[(separator + 1)..];
        return true;
    }
}
