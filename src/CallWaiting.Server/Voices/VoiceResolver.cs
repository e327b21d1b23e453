using CallWaiting.Server.Storage;
using CallWaiting.Speech.Synthesis;

namespace CallWaiting.Server.Voices;

/// <summary>
/// Finds the voice a request names (UUID or slug) among those visible to the caller's tenant. Public voices come
/// from the in-memory catalog, so TTS with them needs no database; only tenant-private voices are looked up.
/// </summary>
public sealed class VoiceResolver(VoiceRepository voices)
{
    /// <summary>The voice, or null when it is missing or belongs to another tenant (both answer 404).</summary>
    public async Task<ResolvedVoice?> ResolveAsync(VoiceCatalog catalog, string idOrSlug, Guid tenantId, CancellationToken cancellationToken)
    {
        if (catalog.TryResolve(idOrSlug, out var voice))
            return new ResolvedVoice(voice.Id, voice.Slug, voice);

        if (!VoiceIdentifier.IsPlausible(idOrSlug.Trim())) return null;
        var stored = await voices.GetVisibleAsync(idOrSlug.Trim(), tenantId, cancellationToken).ConfigureAwait(false);
        if (stored is null) return null;
        var speaker = catalog.Voices.FirstOrDefault(v =>
            v.Engine == stored.Engine && string.Equals(v.EngineVoice.NativeName, stored.EngineVoice, StringComparison.Ordinal));
        return speaker is null ? null : new ResolvedVoice(stored.Id, stored.Slug, speaker);
    }
}
