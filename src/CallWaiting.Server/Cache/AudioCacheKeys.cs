using System.Reflection;
using CallWaiting.Speech.Codecs;
using CallWaiting.Speech.Synthesis;

namespace CallWaiting.Server.Cache;

/// <summary>
/// The cache key of a synthesis: SHA-256 over the exact input text (trimmed) and its SSML flag, the engine voice, the
/// caller's tenant, every request parameter (format, asked-for rate, speed and extra tempo, seed, encoder bitrates), the
/// server's synthesis settings and the engine version.
/// </summary>
/// <remarks>
/// The engine version is the speech core's assembly version plus its module version id, which changes with every
/// build of different code, so a deployment that changes synthesis never serves renderings of the previous one from
/// Redis or disk. Identical builds (every replica of one release) share entries.
/// </remarks>
public static class AudioCacheKeys
{
    /// <summary>Bumped when the key layout changes.</summary>
    private const string Layout = "callwaiting-audio-key/2";

    /// <summary>The speech core's version as the key sees it.</summary>
    public static string EngineVersion { get; } = ComputeEngineVersion();

    /// <summary>Builds the key of one synthesis request.</summary>
    /// <param name="text">The caller's text or SSML, exactly as sent.</param>
    /// <param name="ssml">Whether the caller flagged it as SSML.</param>
    /// <param name="speaker">The catalog voice that renders it.</param>
    /// <param name="voiceId">The API voice id (a private voice's own id).</param>
    /// <param name="tenantId">The caller's tenant: entries are never shared between tenants, whatever the voice.</param>
    /// <param name="format">Output format.</param>
    /// <param name="sampleRate">Asked-for rate, or null for the format's default.</param>
    /// <param name="speed">Speaking speed.</param>
    /// <param name="seed">Seed, or null.</param>
    /// <param name="encoder">Encoder settings (bitrates).</param>
    /// <param name="synthesis">The server's synthesis settings.</param>
    /// <param name="tempo">The extra tempo stage applied after synthesis (1 for none).</param>
    public static AudioCacheKey ForSynthesis(string text, bool ssml, CatalogVoice speaker, Guid voiceId, Guid tenantId, AudioFormat format,
        int? sampleRate, double speed, int? seed, AudioEncoderOptions encoder, SynthesisOptions synthesis, double tempo = 1.0)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(speaker);
        using var key = new AudioCacheKeyBuilder(256 + text.Length * 3);
        key.Add(Layout);
        key.Add(EngineVersion);
        key.Add(speaker.Engine);
        key.Add(speaker.EngineVoice.NativeName);
        key.Add(speaker.EngineVoice.SampleRate);
        key.Add(speaker.EngineVoice.ModelVersion ?? "");
        key.Add(voiceId);
        key.Add(tenantId);
        key.Add(text.AsSpan().Trim());
        key.Add(ssml);
        key.Add((int)format);
        key.Add(sampleRate);
        key.Add(speed);
        key.Add(tempo);
        key.Add(seed);
        key.Add(encoder.Mp3BitrateKbps);
        key.Add(encoder.Mp3Quality);
        key.Add(encoder.OpusBitrateKbps);
        key.Add(encoder.OpusComplexity);
        key.Add(encoder.OggPageDurationMs);
        key.Add(encoder.FlacCompressionLevel);
        key.Add(synthesis.SentenceSilence.Ticks);
        key.Add(synthesis.MaxOutputDuration.Ticks);
        key.Add(synthesis.LimitPeaks);
        return key.Build();
    }

    private static string ComputeEngineVersion()
    {
        var assembly = typeof(Synthesizer).Assembly;
        var version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? assembly.GetName().Version?.ToString() ?? "0";
        return $"{version}+{assembly.ManifestModule.ModuleVersionId:N}";
    }
}
