using CallWaiting.Server.Storage;
using CallWaiting.Speech.Synthesis;
using Microsoft.Extensions.Options;

namespace CallWaiting.Server.Voices;

/// <summary>
/// Finds the voice a request names (UUID or slug) among those visible to the caller's tenant. Public voices come
/// from the in-memory catalog, so TTS with them needs no database; only tenant-private voices are looked up.
/// Each carries its configured fallback (<see cref="VoiceOptions.Fallbacks"/>), a public catalog voice.
/// </summary>
public sealed class VoiceResolver(VoiceRepository voices, IOptions<VoiceOptions> options)
{
    /// <summary>
    /// The voice, or null when it is missing or belongs to another tenant (both answer 404). A known voice whose engine
    /// is not loaded here (a neural model that is gone) resolves to its fallback, else throws <see cref="VoiceUnavailableException"/>.
    /// </summary>
    public async Task<ResolvedVoice?> ResolveAsync(VoiceCatalog catalog, string idOrSlug, Guid tenantId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(idOrSlug);
        if (catalog.TryResolve(idOrSlug, out var voice))
            return new ResolvedVoice(voice.Id, voice.Slug, voice) { Fallback = FallbackOf(catalog, voice.Slug) };

        if (!VoiceIdentifier.IsPlausible(idOrSlug.Trim())) return null;
        var stored = await voices.GetVisibleAsync(idOrSlug.Trim(), tenantId, cancellationToken).ConfigureAwait(false);
        if (stored is null) return null;
        var fallback = FallbackOf(catalog, stored.Slug);
        if (SpeakerOf(catalog, stored) is { } speaker) return new ResolvedVoice(stored.Id, stored.Slug, speaker) { Fallback = fallback };
        return fallback is null ? throw new VoiceUnavailableException(stored.Slug, stored.Engine) : fallback with { FallbackFrom = stored.Slug };
    }

    private ResolvedVoice? FallbackOf(VoiceCatalog catalog, string slug) =>
        options.Value.Fallbacks.TryGetValue(slug, out var name) && catalog.TryResolve(name, out var fallback)
            ? new ResolvedVoice(fallback.Id, fallback.Slug, fallback)
            : null;

    /// <summary>The catalog voice a stored voice speaks through, or null when its engine voice is not installed here.</summary>
    public static CatalogVoice? SpeakerOf(VoiceCatalog catalog, StoredVoice stored)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(stored);
        return catalog.Voices.FirstOrDefault(v =>
            v.Engine == stored.Engine && string.Equals(v.EngineVoice.NativeName, stored.EngineVoice, StringComparison.Ordinal));
    }
}
