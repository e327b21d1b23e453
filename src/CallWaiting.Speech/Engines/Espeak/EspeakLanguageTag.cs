namespace CallWaiting.Speech.Engines.Espeak;

/// <summary>Turns espeak-ng's language names ("en-gb-x-rp", "cmn-latn-pinyin", "chr-us-qaaa-x-west") into well-formed BCP-47 tags.</summary>
/// <remarks>
/// espeak writes everything in lower case and not always in BCP-47 order. Subtags are sorted into language, script
/// (title case), region (upper case) and variants; a subtag that fits none of those shapes moves into the private-use
/// part, so the result is always well-formed. Language codes that are not 2–3 letters are mapped when a standard
/// code exists ("piqd", Klingon in pIqaD, becomes "tlh-Piqd") and become "und-x-…" otherwise.
/// </remarks>
internal static class EspeakLanguageTag
{
    private static readonly Dictionary<string, string[]> NonStandardLanguages = new(StringComparer.Ordinal)
    {
        ["piqd"] = ["tlh", "piqd"],
    };

    /// <summary>Converts one espeak language name to a BCP-47 tag.</summary>
    /// <exception cref="ArgumentException">The name is empty.</exception>
    public static string ToBcp47(string espeakLanguage)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(espeakLanguage);
        var parts = espeakLanguage.Trim().ToLowerInvariant().Split(['-', '_'], StringSplitOptions.RemoveEmptyEntries);
        string? script = null, region = null;
        var variants = new List<string>();
        var privateUse = new List<string>();

        var language = parts[0];
        var rest = parts.AsSpan(1);
        if (NonStandardLanguages.TryGetValue(language, out var mapped))
        {
            language = mapped[0];
            script = Title(mapped[1]);
        }
        else if (!IsLetters(language, 2, 3))
        {
            privateUse.Add(Truncate(language));
            language = "und";
        }

        var inPrivateUse = false;
        foreach (var part in rest)
        {
            if (part == "x")
            {
                inPrivateUse = true;
                continue;
            }
            if (inPrivateUse) privateUse.Add(Truncate(part));
            else if (script is null && variants.Count == 0 && IsLetters(part, 4, 4)) script = Title(part);
            else if (region is null && variants.Count == 0 && (IsLetters(part, 2, 2) || IsDigits(part, 3))) region = part.ToUpperInvariant();
            else if (IsVariant(part) && !variants.Contains(part)) variants.Add(part);
            else privateUse.Add(Truncate(part));
        }

        var tag = new List<string> { language };
        if (script is not null) tag.Add(script);
        if (region is not null) tag.Add(region);
        tag.AddRange(variants);
        if (privateUse.Count > 0)
        {
            tag.Add("x");
            tag.AddRange(privateUse);
        }
        return string.Join('-', tag);
    }

    private static bool IsVariant(string part) =>
        part.Length is >= 5 and <= 8 && part.All(char.IsAsciiLetterOrDigit)
        || part.Length == 4 && char.IsAsciiDigit(part[0]) && part.All(char.IsAsciiLetterOrDigit);

    private static bool IsLetters(string part, int min, int max) =>
        part.Length >= min && part.Length <= max && part.All(char.IsAsciiLetter);

    private static bool IsDigits(string part, int length) => part.Length == length && part.All(char.IsAsciiDigit);

    private static string Title(string part) => char.ToUpperInvariant(part[0]) + part[1..];

    /// <summary>Private-use subtags are 1–8 alphanumerics.</summary>
    private static string Truncate(string part)
    {
        var clean = new string(part.Where(char.IsAsciiLetterOrDigit).ToArray());
        return clean.Length == 0 ? "unknown" : clean.Length > 8 ? clean[..8] : clean;
    }
}
