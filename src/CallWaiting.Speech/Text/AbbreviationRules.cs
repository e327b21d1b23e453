using System.Text.RegularExpressions;

namespace CallWaiting.Speech.Text;

/// <summary>
/// English abbreviations: titles (Mr., Dr.), company and address words (Inc., Ave.), Latin (e.g., i.e., etc., vs.),
/// "No. 5", and the context-dependent "St." (Saint or Street) and "Dr." (Doctor or Drive).
/// </summary>
internal static class AbbreviationRules
{
    private enum Kind
    {
        /// <summary>Comes before a name; its period never ends a sentence.</summary>
        Title,
        /// <summary>Can end a sentence; the period is kept when it does.</summary>
        Trailing,
    }

    private static readonly Dictionary<string, (string Words, Kind Kind)> Table = new(StringComparer.Ordinal)
    {
        ["Mr"] = ("Mister", Kind.Title), ["Mrs"] = ("Missus", Kind.Title), ["Ms"] = ("Miz", Kind.Title),
        ["Prof"] = ("Professor", Kind.Title), ["Mt"] = ("Mount", Kind.Title), ["Gov"] = ("Governor", Kind.Title),
        ["Sen"] = ("Senator", Kind.Title), ["Rep"] = ("Representative", Kind.Title), ["Gen"] = ("General", Kind.Title),
        ["Capt"] = ("Captain", Kind.Title), ["Lt"] = ("Lieutenant", Kind.Title), ["Sgt"] = ("Sergeant", Kind.Title),
        ["e.g"] = ("for example", Kind.Title), ["i.e"] = ("that is", Kind.Title), ["a.k.a"] = ("also known as", Kind.Title),
        ["vs"] = ("versus", Kind.Title), ["approx"] = ("approximately", Kind.Title),
        ["Jr"] = ("Junior", Kind.Trailing), ["Sr"] = ("Senior", Kind.Trailing), ["Inc"] = ("Incorporated", Kind.Trailing),
        ["Ltd"] = ("Limited", Kind.Trailing), ["Co"] = ("Company", Kind.Trailing), ["Corp"] = ("Corporation", Kind.Trailing),
        ["Apt"] = ("Apartment", Kind.Trailing), ["Ave"] = ("Avenue", Kind.Trailing), ["Blvd"] = ("Boulevard", Kind.Trailing),
        ["Rd"] = ("Road", Kind.Trailing), ["Dept"] = ("Department", Kind.Trailing), ["etc"] = ("et cetera", Kind.Trailing),
    };

    private static readonly Regex Abbreviation = TextPatterns.Create(
        @"\b(e\.g|i\.e|a\.k\.a|Mr|Mrs|Ms|Prof|Mt|Gov|Sen|Rep|Gen|Capt|Lt|Sgt|approx|vs|Jr|Sr|Inc|Ltd|Co|Corp|Apt|Ave|Blvd|Rd|Dept|etc|St|Dr|No|no)\.|\bvs\b");

    /// <summary>Expands abbreviations in <paramref name="text"/>.</summary>
    public static string Apply(string text) => Abbreviation.Replace(text, m =>
    {
        var key = m.Groups[1].Success ? m.Groups[1].Value : "vs";
        var end = m.Index + m.Length;
        if (TextPatterns.AlnumAt(text, end))
        {
            return m.Value; // "Co.op", "St.John" without a space: leave it to the engine
        }

        switch (key)
        {
            case "No" or "no":
                // "No. 5" is "number five"; "No. I won't." is the word no.
                var next = TextPatterns.NextWord(text, end);
                return !next.IsEmpty && char.IsAsciiDigit(next[0]) ? "number" : m.Value;
            case "St" or "Dr":
                var place = IsPlaceSuffix(text, m.Index, end);
                var word = key == "St" ? (place ? "Street" : "Saint") : (place ? "Drive" : "Doctor");
                return WithPeriod(word, text, end, isTitle: !place);
        }

        var (words, kind) = Table[key];
        return WithPeriod(words, text, end, kind == Kind.Title);
    });

    /// <summary>
    /// "St." and "Dr." after a number or a capitalized street name ("42 Main St.", "Elm Dr.") or with no capitalized
    /// word after them are Street and Drive; before a name ("St. Louis", "Dr. Smith") they are Saint and Doctor.
    /// </summary>
    private static bool IsPlaceSuffix(string text, int start, int end)
    {
        var previous = TextPatterns.PreviousWord(text, start, out var previousStart);
        if (!previous.IsEmpty && char.IsAsciiDigit(previous[0]))
        {
            return true;
        }

        if (TextPatterns.IsCapitalized(previous) && !TextPatterns.StartsSentence(text, previousStart) && char.IsLetter(previous[^1]))
        {
            return true;
        }

        return !TextPatterns.IsCapitalized(TextPatterns.NextWord(text, end));
    }

    // A trailing abbreviation that ends its sentence keeps the period, so the sentence splitter still sees the end.
    private static string WithPeriod(string words, string text, int end, bool isTitle) =>
        !isTitle && TextPatterns.PeriodEndsSentence(text, end) ? words + "." : words;
}
