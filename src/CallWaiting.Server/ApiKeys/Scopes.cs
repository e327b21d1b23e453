using System.Collections.Frozen;

namespace CallWaiting.Server.ApiKeys;

/// <summary>The permissions an API key can carry; <see cref="Admin"/> implies every other scope.</summary>
public static class Scopes
{
    /// <summary>Synthesize speech (POST /v1/tts).</summary>
    public const string TtsWrite = "tts:write";

    /// <summary>List and read voices.</summary>
    public const string VoicesRead = "voices:read";

    /// <summary>Create and change the tenant's private voices.</summary>
    public const string VoicesWrite = "voices:write";

    /// <summary>Read usage counters.</summary>
    public const string UsageRead = "usage:read";

    /// <summary>Everything, including administration.</summary>
    public const string Admin = "admin";

    /// <summary>Scopes of a new key unless others are asked for.</summary>
    public const string DefaultForNewKeys = "tts:write,voices:read,usage:read";

    /// <summary>Every known scope, in canonical order.</summary>
    public static IReadOnlyList<string> All { get; } = [TtsWrite, VoicesRead, VoicesWrite, UsageRead, Admin];

    private static readonly FrozenSet<string> Known = All.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Whether the text names a known scope (exact, lower-case).</summary>
    public static bool IsKnown(string? scope) => scope is not null && Known.Contains(scope);

    /// <summary>Parses user input such as "tts:write, voices:read"; throws <see cref="ArgumentException"/> on an unknown or empty list.</summary>
    public static IReadOnlySet<string> Parse(string? scopes)
    {
        var parsed = Split(scopes);
        if (parsed.Length == 0)
        {
            throw new ArgumentException($"At least one scope is required; known scopes: {string.Join(", ", All)}.", nameof(scopes));
        }

        var unknown = parsed.Where(scope => !Known.Contains(scope)).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException($"Unknown scope(s) {string.Join(", ", unknown)}; known scopes: {string.Join(", ", All)}.", nameof(scopes));
        }

        return parsed.ToFrozenSet(StringComparer.Ordinal);
    }

    /// <summary>Canonical stored form: known scopes, canonical order, comma-separated.</summary>
    public static string Format(IEnumerable<string> scopes)
    {
        ArgumentNullException.ThrowIfNull(scopes);
        var set = scopes as IReadOnlySet<string> ?? scopes.ToHashSet(StringComparer.Ordinal);
        return string.Join(',', All.Where(set.Contains));
    }

    /// <summary>Whether a key with <paramref name="granted"/> may do what <paramref name="required"/> allows.</summary>
    public static bool Grants(IReadOnlySet<string> granted, string required)
    {
        ArgumentNullException.ThrowIfNull(granted);
        return granted.Contains(Admin) || granted.Contains(required);
    }

    /// <summary>Reads a stored scope list leniently: scopes unknown to this version (from a newer one) are dropped, not fatal.</summary>
    internal static IReadOnlySet<string> FromStored(string? stored) =>
        Split(stored).Where(Known.Contains).ToFrozenSet(StringComparer.Ordinal);

    private static string[] Split(string? scopes) =>
        (scopes ?? "").Split([',', ' ', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
