using CallWaiting.Server.Configuration;
using CallWaiting.Server.Voices;

namespace CallWaiting.Server.OpenAi;

/// <summary>
/// The OpenAI-compatible API (configuration section <c>OpenAi</c>): input limit and what OpenAI's voice names speak
/// with, e.g. env <c>CALLWAITING_OpenAi__Voices__alloy=sophia-en-gb</c>.
/// </summary>
public sealed class OpenAiOptions : IValidatedOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "OpenAi";

    /// <summary>Longest accepted <c>input</c> in characters; OpenAI's own limit is 4096.</summary>
    public int MaxInputLength { get; set; } = 4096;

    /// <summary>
    /// OpenAI voice name → catalog voices (slug or UUID, or several separated by commas: the first this server has
    /// wins). Configured names replace these defaults one by one and may add names of their own. The defaults put
    /// each OpenAI voice on a catalog voice of its perceived gender and accent, falling back to the seed voices,
    /// which every install has.
    /// </summary>
    public Dictionary<string, string> Voices { get; set; } = new(StringComparer.OrdinalIgnoreCase)
    {
        ["alloy"] = "emily-en-us",
        ["ash"] = "james-en-us",
        ["ballad"] = "flite-awb, james-en-us",
        ["coral"] = "espeak-en-us-f2, emily-en-us",
        ["echo"] = "flite-kal16, james-en-us",
        ["fable"] = "sophia-en-gb",
        ["nova"] = "espeak-en-us-f3, emily-en-us",
        ["onyx"] = "espeak-en-us-m3, james-en-us",
        ["sage"] = "espeak-en-gb-f2, sophia-en-gb",
        ["shimmer"] = "espeak-en-gb-f3, sophia-en-gb",
        ["verse"] = "espeak-en-gb-m3, james-en-us",
        ["marin"] = "emily-en-us",
        ["cedar"] = "james-en-us",
    };

    /// <summary>The candidates of one configured voice, in order.</summary>
    public static string[] Candidates(string configured) =>
        configured.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <inheritdoc />
    public IEnumerable<string> Problems()
    {
        if (MaxInputLength is < 1 or > 100_000) yield return "OpenAi:MaxInputLength must be between 1 and 100000 characters.";
        if (!Voices.All(v => v.Key.Trim().Length > 0 && Candidates(v.Value) is { Length: > 0 } candidates && candidates.All(VoiceIdentifier.IsPlausible)))
        {
            yield return "OpenAi:Voices entries must map a name to one or more voice slugs or UUIDs, separated by commas.";
        }
    }
}
