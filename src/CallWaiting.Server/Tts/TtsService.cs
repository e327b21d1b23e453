using System.Data.Common;
using CallWaiting.Server.ApiKeys;
using CallWaiting.Server.Cache;
using CallWaiting.Server.Voices;
using CallWaiting.Speech.Codecs;
using CallWaiting.Speech.Synthesis;

namespace CallWaiting.Server.Tts;

/// <summary>
/// The shared front half of every synthesis endpoint: checks the engines are up, resolves the voice for the caller's
/// tenant, settles the format and encoder settings and computes the cache key. Failures are <see cref="TtsRequestException"/>s
/// carrying their kind (invalid input, not found, unavailable).
/// </summary>
public sealed class TtsService(SpeechHost speech, VoiceResolver resolver, AudioCache cache, AudioRenderer renderer)
{
    /// <summary>The audio cache the endpoints read and fill.</summary>
    public AudioCache Cache => cache;

    /// <summary>The cached rendering of <paramref name="job"/>, words included; null on a miss or when the job is not cacheable.</summary>
    public async Task<RenderedAudio?> LookupAsync(TtsJob job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (job.CacheKey is not { } key || await cache.GetAsync(key, cancellationToken).ConfigureAwait(false) is not { } hit) return null;
        var entry = hit.Entry;
        return new RenderedAudio(entry.Audio, entry.SampleRate, entry.AudioSeconds, entry.Words);
    }

    /// <summary>
    /// Starts rendering <paramref name="job"/>, or joins an identical rendering already in progress (see
    /// <see cref="AudioRenderer.Open"/>), and waits for its first audio, so that every refusal (bad text, a full queue)
    /// is still a <see cref="TtsRequestException"/>; the caller owns the reader.
    /// </summary>
    public async Task<AudioRenderingReader> OpenAsync(TtsJob job, CancellationToken cancellationToken)
    {
        var reader = renderer.Open(job);
        try
        {
            await reader.WaitForAudioAsync(cancellationToken).ConfigureAwait(false);
            return reader;
        }
        catch
        {
            await reader.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Resolves a validated request for <paramref name="key"/>'s tenant into a job ready to look up or synthesize.</summary>
    public async Task<TtsJob> CreateJobAsync(TtsRequest request, ApiKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var voice = await ResolveVoiceAsync(request.VoiceId, key, cancellationToken).ConfigureAwait(false);
        return CreateJob(request, voice, key);
    }

    /// <summary>
    /// As <see cref="CreateJobAsync(TtsRequest, ApiKey, CancellationToken)"/>, with the voice found by
    /// <paramref name="resolveVoice"/> (catalog, tenant) instead of by the request's voice id alone, for APIs with
    /// voice names of their own; a DbException or TimeoutException from it is unavailable, null not found.
    /// </summary>
    public async Task<TtsJob> CreateJobAsync(TtsRequest request, ApiKey key,
        Func<VoiceCatalog, Guid, CancellationToken, Task<ResolvedVoice?>> resolveVoice, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var voice = await ResolveVoiceAsync(request.VoiceId, key, resolveVoice, cancellationToken).ConfigureAwait(false);
        return CreateJob(request, voice, key);
    }

    /// <summary>
    /// Resolves <paramref name="voiceId"/> (UUID or slug) for <paramref name="key"/>'s tenant, once for callers that
    /// synthesize many times with one voice (<see cref="CreateJob"/>): unavailable while the engines start or when private
    /// voices cannot be looked up, not found when the tenant has no such voice.
    /// </summary>
    public Task<ResolvedVoice> ResolveVoiceAsync(string voiceId, ApiKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(voiceId);
        return ResolveVoiceAsync(voiceId, key, (catalog, tenantId, ct) => resolver.ResolveAsync(catalog, voiceId, tenantId, ct), cancellationToken);
    }

    /// <summary>
    /// Builds the job for a validated request with a voice already resolved for <paramref name="key"/>'s tenant (no
    /// second lookup): unavailable while the engines are not running, invalid input for an unknown format.
    /// </summary>
    public TtsJob CreateJob(TtsRequest request, ResolvedVoice voice, ApiKey key)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(voice);
        ArgumentNullException.ThrowIfNull(key);
        var runtime = Runtime();
        if (!AudioFormats.TryParse(request.Format, out var format))
            throw new TtsRequestException(TtsErrorKind.InvalidInput, "invalid_request", $"Unknown format '{request.Format}'.");
        var encoder = EncoderOptions(format, request.BitrateKbps);

        AudioCacheKey? cacheKey = null;
        if (cache.Caches(runtime.Pool.GetCapabilities(voice.Speaker.Engine)))
        {
            // Every entry and every joinable rendering belongs to one tenant, public voices included: a hit (or its
            // speed) would otherwise tell one tenant what text another has synthesized.
            cacheKey = AudioCacheKeys.ForSynthesis(request.Text, request.Ssml, voice.Speaker, voice.Id, key.TenantId, format,
                request.SampleRate, request.Speed, request.Seed, encoder, runtime.Synthesizer.Options, request.Tempo);
        }
        return new TtsJob(runtime, request, voice, format, encoder, cacheKey);
    }

    private async Task<ResolvedVoice> ResolveVoiceAsync(string voiceId, ApiKey key,
        Func<VoiceCatalog, Guid, CancellationToken, Task<ResolvedVoice?>> resolveVoice, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(resolveVoice);
        var runtime = Runtime();
        ResolvedVoice? voice;
        try
        {
            voice = await resolveVoice(runtime.Synthesizer.Catalog, key.TenantId, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is DbException or TimeoutException)
        {
            throw new TtsRequestException(TtsErrorKind.Unavailable, "database_unavailable", "Private voices cannot be looked up right now; retry shortly.");
        }
        return voice ?? throw TtsJob.VoiceNotFound(voiceId);
    }

    private SpeechRuntime Runtime() => speech.Runtime
        ?? throw new TtsRequestException(TtsErrorKind.Unavailable, "engines_starting", "Speech engines are still starting; retry shortly.");

    private static AudioEncoderOptions EncoderOptions(AudioFormat format, int? bitrateKbps) => (format, bitrateKbps) switch
    {
        (_, null) => AudioEncoderOptions.Default,
        (AudioFormat.Mp3, { } kbps) => new AudioEncoderOptions { Mp3BitrateKbps = kbps },
        (AudioFormat.Opus, { } kbps) => new AudioEncoderOptions { OpusBitrateKbps = kbps },
        _ => AudioEncoderOptions.Default,
    };
}
