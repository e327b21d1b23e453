using System.Text.Json.Serialization;
using CallWaiting.Server.Storage;

namespace CallWaiting.Server.Voices;

/// <summary>A voice as GET /v1/voices returns it (the seed's shape).</summary>
/// <param name="Id">Stable UUID.</param>
/// <param name="Slug">Unique handle, usable as voice_id.</param>
/// <param name="DisplayName">Name shown to people.</param>
/// <param name="Description">One line about the voice.</param>
/// <param name="Language">BCP-47 tag.</param>
/// <param name="Gender">female, male or neutral.</param>
/// <param name="SampleUrl">A preview clip, or null.</param>
/// <param name="IsPublic">False for the caller's tenant's private voices.</param>
public sealed record VoiceResponse(
    Guid Id,
    string Slug,
    string DisplayName,
    string Description,
    string Language,
    string? Gender,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? SampleUrl,
    bool IsPublic)
{
    /// <summary>The API view of a stored voice.</summary>
    public static VoiceResponse From(StoredVoice voice) => new(
        voice.Id, voice.Slug, voice.DisplayName, voice.Description, voice.Language, voice.Gender, voice.SampleUrl, voice.IsPublic);
}
