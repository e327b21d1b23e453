using System.Text.RegularExpressions;

namespace CallWaiting.Server.Tenants;

/// <summary>Validation of tenant slugs and plan names: lower-case letters, digits and inner hyphens.</summary>
public static partial class TenantSlug
{
    /// <summary>Longest accepted slug.</summary>
    public const int MaxLength = 63;

    /// <summary>Whether the text is a valid slug (1–63 chars, [a-z0-9-], no leading or trailing hyphen).</summary>
    public static bool IsValid(string? slug) => slug is { Length: > 0 and <= MaxLength } && SlugPattern().IsMatch(slug);

    /// <summary>Throws <see cref="ArgumentException"/> naming the rule when the slug is invalid.</summary>
    public static void Validate(string? slug, string parameterName)
    {
        if (!IsValid(slug))
        {
            throw new ArgumentException(
                $"'{slug}' is not a valid slug: use 1-{MaxLength} lower-case letters, digits and inner hyphens (e.g. \"acme-corp\").",
                parameterName);
        }
    }

    [GeneratedRegex("^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex SlugPattern();
}
