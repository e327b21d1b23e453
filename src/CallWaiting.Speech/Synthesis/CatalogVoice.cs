using CallWaiting.Speech.Engines;

namespace CallWaiting.Speech.Synthesis;

/// <summary>A voice as the API lists it: a stable id and slug, mapped onto one engine voice.</summary>
/// <param name="Id">Stable UUID derived from the slug (<see cref="VoiceIds.FromSlug"/>).</param>
/// <param name="Slug">Unique, URL-safe name such as "emily-en-us".</param>
/// <param name="DisplayName">Human-readable name.</param>
/// <param name="Description">One line about the voice.</param>
/// <param name="EngineVoice">The engine voice that speaks for it.</param>
public sealed record CatalogVoice(Guid Id, string Slug, string DisplayName, string Description, EngineVoice EngineVoice)
{
    /// <summary>BCP-47 language tag.</summary>
    public string Language => EngineVoice.Language;

    /// <summary>Perceived gender.</summary>
    public VoiceGender Gender => EngineVoice.Gender;

    /// <summary>Engine name.</summary>
    public string Engine => EngineVoice.Engine;
}
