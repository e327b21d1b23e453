using System.Text.Json.Serialization;

namespace CallWaiting.Server.OpenAi;

/// <summary>A voice GET /v1/audio/voices lists; its <c>id</c> is a valid <c>voice</c> for POST /v1/audio/speech.</summary>
/// <param name="Id">An OpenAI voice name, or the catalog voice's slug.</param>
/// <param name="Object">Always "voice".</param>
/// <param name="Name">Display name.</param>
/// <param name="VoiceId">The UUID of the catalog voice that speaks (X-Voice-ID).</param>
/// <param name="Language">BCP-47 tag.</param>
/// <param name="Gender">female, male or neutral.</param>
/// <param name="IsPublic">False for the caller's tenant's private voices.</param>
/// <param name="MapsTo">For an OpenAI voice name, the slug of the catalog voice it speaks with; null for catalog voices.</param>
public sealed record OpenAiVoice(
    string Id,
    string Object,
    string Name,
    Guid VoiceId,
    string Language,
    string? Gender,
    bool IsPublic,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? MapsTo);
