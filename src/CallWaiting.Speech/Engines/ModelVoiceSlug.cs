using System.Text;

namespace CallWaiting.Speech.Engines;

/// <summary>Voice slugs for model files: an engine prefix plus the name lowercased, with runs of other characters as <c>-</c>.</summary>
public static class ModelVoiceSlug
{
    /// <summary><paramref name="prefix"/><c>-</c><paramref name="name"/>, lowercased, runs of characters other than a–z and 0–9 as one <c>-</c>.</summary>
    public static string From(string prefix, string name)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        ArgumentNullException.ThrowIfNull(name);
        var slug = new StringBuilder(prefix).Append('-');
        foreach (var c in name.ToLowerInvariant())
        {
            if (char.IsAsciiLetterOrDigit(c)) slug.Append(c);
            else if (slug[^1] != '-') slug.Append('-');
        }
        return slug.ToString().TrimEnd('-');
    }
}
