using CallWaiting.Speech.Synthesis;

namespace CallWaiting.Server.Voices;

/// <summary>A voice the caller may use: its API identity and the catalog voice that speaks for it.</summary>
/// <param name="Id">The voice's UUID (X-Voice-ID).</param>
/// <param name="Slug">The voice's slug.</param>
/// <param name="Speaker">The catalog voice the synthesizer renders with.</param>
public sealed record ResolvedVoice(Guid Id, string Slug, CatalogVoice Speaker)
{
    /// <summary>The configured voice to speak instead when this one's engine fails (<see cref="VoiceOptions.Fallbacks"/>).</summary>
    public ResolvedVoice? Fallback { get; init; }

    /// <summary>The slug the request named when this voice speaks in its place (X-Voice-Fallback); null otherwise.</summary>
    public string? FallbackFrom { get; init; }

    /// <summary>This voice's fallback, marked as speaking for this voice; null when none is configured.</summary>
    public ResolvedVoice? ForFallback() => Fallback is { } fallback ? fallback with { FallbackFrom = Slug } : null;
}
