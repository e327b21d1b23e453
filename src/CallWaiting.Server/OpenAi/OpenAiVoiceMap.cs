using CallWaiting.Server.Voices;
using CallWaiting.Speech.Synthesis;
using Microsoft.Extensions.Options;

namespace CallWaiting.Server.OpenAi;

/// <summary>
/// Resolves the <c>voice</c> of an OpenAI request: an OpenAI voice name (case-insensitive) through the configured
/// map, anything else as a catalog slug or UUID or a private voice of the caller's tenant.
/// </summary>
public sealed class OpenAiVoiceMap(IOptions<OpenAiOptions> options, VoiceResolver resolver)
{
    private readonly Dictionary<string, string[]> _names = options.Value.Voices.ToDictionary(
        pair => pair.Key.Trim(), pair => OpenAiOptions.Candidates(pair.Value), StringComparer.OrdinalIgnoreCase);

    /// <summary>The mapped OpenAI voice names.</summary>
    public IEnumerable<string> Names => _names.Keys;

    /// <summary>Whether <paramref name="voice"/> is an OpenAI voice name this server maps.</summary>
    public bool IsName(string voice) => _names.ContainsKey(voice);

    /// <summary>The voice to speak with, or null when it is unknown or none of a name's candidates exists here.</summary>
    /// <exception cref="System.Data.Common.DbException">A private voice had to be looked up and the database failed.</exception>
    public async Task<ResolvedVoice?> ResolveAsync(VoiceCatalog catalog, string voice, Guid tenantId, CancellationToken cancellationToken)
    {
        if (!_names.TryGetValue(voice, out var candidates))
            return await resolver.ResolveAsync(catalog, voice, tenantId, cancellationToken).ConfigureAwait(false);

        foreach (var candidate in candidates)
        {
            if (await resolver.ResolveAsync(catalog, candidate, tenantId, cancellationToken).ConfigureAwait(false) is { } resolved)
                return resolved;
        }
        return null;
    }

    /// <summary>What an OpenAI voice name is mapped to, as configured (for error messages).</summary>
    public string Describe(string name) => string.Join(", ", _names[name]);
}
