namespace CallWaiting.Speech.Text;

/// <summary>
/// The steps that hold for every language, used where no language normalizer is registered: text passes through
/// (espeak-ng reads numbers, dates and symbols in its own languages) and &lt;say-as&gt; spacing is applied.
/// </summary>
internal sealed class NeutralNormalizer : ITextNormalizer
{
    /// <summary>The shared instance.</summary>
    public static readonly NeutralNormalizer Instance = new();

    /// <inheritdoc />
    public IReadOnlyList<string> Languages { get; } = [];

    /// <inheritdoc />
    public string Normalize(string text, string language) => text;

    /// <inheritdoc />
    public string SayAs(string text, SayAs sayAs, string language) => sayAs.Interpretation switch
    {
        // The engine reads a lone letter or digit by name in its own language.
        SayAsInterpretation.Characters or SayAsInterpretation.Digits => Spaced(text, digitsOnly: sayAs.Interpretation == SayAsInterpretation.Digits),
        SayAsInterpretation.Telephone => PhoneGroups(text),
        _ => text,
    };

    private static string Spaced(string text, bool digitsOnly)
    {
        var items = new List<string>(text.Length);
        var enumerator = System.Globalization.StringInfo.GetTextElementEnumerator(text);
        while (enumerator.MoveNext())
        {
            var element = enumerator.GetTextElement();
            if (char.IsWhiteSpace(element[0]) || (digitsOnly && !char.IsAsciiDigit(element[0])))
            {
                continue;
            }

            items.Add(element);
        }

        return string.Join(' ', items);
    }

    // Digit by digit, a comma between the written groups so the engine pauses between them.
    private static string PhoneGroups(string text) =>
        string.Join(", ", text.Split([' ', '-', '.', '(', ')', '/'], StringSplitOptions.RemoveEmptyEntries).Select(group => Spaced(group, digitsOnly: false)));
}
