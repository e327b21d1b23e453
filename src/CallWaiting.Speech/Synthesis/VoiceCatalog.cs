using CallWaiting.Speech.Engines;

namespace CallWaiting.Speech.Synthesis;

/// <summary>
/// The public voice catalog: the seed's named voices mapped onto the best engine voices available,
/// followed by every engine voice under its own slug.
/// </summary>
public sealed class VoiceCatalog
{
    /// <summary>The seed's public voices and, best first, the engine voices that may speak for each.</summary>
    private static readonly (string Slug, string DisplayName, string Description, string[] Candidates)[] SeedVoices =
    [
        ("emily-en-us", "Emily", "Warm American English female voice.", ["flite-slt", "espeak-en-us-f3", "espeak-en-us"]),
        ("james-en-us", "James", "Clear American English male voice.", ["flite-rms", "flite-kal16", "espeak-en-us"]),
        ("sophia-en-gb", "Sophia", "British English female voice.", ["espeak-en-gb-f3", "espeak-en-gb-x-rp-f3", "espeak-en-gb", "flite-slt"]),
    ];

    private readonly Dictionary<string, CatalogVoice> _bySlug = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<Guid, CatalogVoice> _byId = [];
    private readonly Dictionary<string, EngineCapabilities> _capabilities = new(StringComparer.Ordinal);

    /// <summary>Every voice, seed voices first.</summary>
    public IReadOnlyList<CatalogVoice> Voices { get; }

    /// <summary>Builds the catalog from the voices and capabilities the engines report.</summary>
    public VoiceCatalog(IEnumerable<ISpeechEngine> engines)
    {
        var all = engines.ToList();
        foreach (var e in all) _capabilities.Add(e.Name, e.Capabilities);
        var engine = all.SelectMany(e => e.Voices).ToDictionary(v => v.Id, StringComparer.OrdinalIgnoreCase);
        var voices = new List<CatalogVoice>();
        foreach (var (slug, name, description, candidates) in SeedVoices)
        {
            var target = candidates.Select(c => engine.GetValueOrDefault(c)).FirstOrDefault(v => v is not null);
            if (target is not null)
                voices.Add(new CatalogVoice(VoiceIds.FromSlug(slug), slug, name, description, target));
        }

        foreach (var v in engine.Values.OrderBy(v => v.Engine, StringComparer.Ordinal).ThenBy(v => v.Id, StringComparer.Ordinal))
            voices.Add(new CatalogVoice(VoiceIds.FromSlug(v.Id), v.Id, v.DisplayName, Describe(v), v));

        foreach (var v in voices)
        {
            _bySlug.Add(v.Slug, v);
            _byId.Add(v.Id, v);
        }
        Voices = voices;
    }

    /// <summary>Finds a voice by slug (case-insensitive) or by UUID.</summary>
    public bool TryResolve(string slugOrId, out CatalogVoice voice)
    {
        if (Guid.TryParse(slugOrId, out var id))
            return _byId.TryGetValue(id, out voice!);
        return _bySlug.TryGetValue(slugOrId.Trim(), out voice!);
    }

    /// <summary>What the engine that speaks <paramref name="voice"/> can do (determinism, SSML phonemes, chunk size).</summary>
    public EngineCapabilities CapabilitiesOf(CatalogVoice voice)
    {
        ArgumentNullException.ThrowIfNull(voice);
        return _capabilities.TryGetValue(voice.Engine, out var capabilities)
            ? capabilities
            : throw new ArgumentException($"Voice '{voice.Slug}' is spoken by engine '{voice.Engine}', which this catalog does not hold.", nameof(voice));
    }

    private static string Describe(EngineVoice v) =>
        $"{v.Engine} voice \"{v.NativeName}\" ({v.Language}, {v.Gender.ToString().ToLowerInvariant()}, {v.SampleRate / 1000.0:0.###} kHz, {v.Quality.ToString().ToLowerInvariant()}).";
}
