using CallWaiting.Server.Storage;

namespace CallWaiting.Server.Admin;

/// <summary>A voice as the admin API lists it: the catalog's fields plus its engine and, for a private voice, its tenant.</summary>
/// <param name="Id">Stable UUID.</param>
/// <param name="Slug">Unique handle, usable as voice_id.</param>
/// <param name="DisplayName">Name shown to people.</param>
/// <param name="Description">One line about the voice.</param>
/// <param name="Language">BCP-47 tag.</param>
/// <param name="Gender">female, male or neutral.</param>
/// <param name="Engine">The engine that speaks it.</param>
/// <param name="IsPublic">Whether every tenant may use it.</param>
/// <param name="TenantId">The owning tenant of a private voice; null for a public one.</param>
public sealed record AdminVoiceResponse(
    Guid Id, string Slug, string DisplayName, string Description, string Language, string? Gender, string Engine, bool IsPublic, Guid? TenantId)
{
    /// <summary>The admin view of a stored voice.</summary>
    public static AdminVoiceResponse From(StoredVoice voice)
    {
        ArgumentNullException.ThrowIfNull(voice);
        return new(voice.Id, voice.Slug, voice.DisplayName, voice.Description, voice.Language, voice.Gender, voice.Engine, voice.IsPublic, voice.OwnerTenant);
    }
}
