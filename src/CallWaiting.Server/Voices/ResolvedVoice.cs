using CallWaiting.Speech.Synthesis;

namespace CallWaiting.Server.Voices;

/// <summary>A voice the caller may use: its API identity and the catalog voice that speaks for it.</summary>
/// <param name="Id">The voice's UUID (X-Voice-ID).</param>
/// <param name="Slug">The voice's slug.</param>
/// <param name="Speaker">The catalog voice the synthesizer renders with.</param>
public sealed record ResolvedVoice(Guid Id, string Slug, CatalogVoice Speaker);
