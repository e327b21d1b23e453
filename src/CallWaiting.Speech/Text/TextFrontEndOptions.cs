namespace CallWaiting.Speech.Text;

/// <summary>Limits and language support for <see cref="TextFrontEnd"/>.</summary>
public sealed record TextFrontEndOptions
{
    /// <summary>Longest input accepted, counted in UTF-16 characters of the raw text or SSML document.</summary>
    public int MaxInputChars { get; init; } = 100_000;

    /// <summary>
    /// Longest single SSML &lt;break&gt;. Longer breaks are clamped to this, not rejected, because a long pause
    /// is a plausible intent; it is the total (<see cref="MaxTotalBreak"/>) that guards against silence abuse.
    /// </summary>
    public TimeSpan MaxBreak { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Most silence one request may ask for through breaks; more is rejected.</summary>
    public TimeSpan MaxTotalBreak { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Deepest SSML element nesting accepted (&lt;speak&gt; is depth 1).</summary>
    public int MaxSsmlDepth { get; init; } = 32;

    /// <summary>Most SSML elements accepted in one document.</summary>
    public int MaxSsmlElements { get; init; } = 10_000;

    /// <summary>
    /// Longest whitespace-delimited token handed to an engine; longer ones are split or spelled out,
    /// because engines such as flite take seconds to minutes on a single token thousands of characters long.
    /// </summary>
    public int MaxTokenChars { get; init; } = 32;

    /// <summary>Language normalizers; the one whose language prefix best matches the request's BCP-47 tag is used.</summary>
    public IReadOnlyList<ITextNormalizer> Normalizers { get; init; } = [new EnglishNormalizer()];
}
