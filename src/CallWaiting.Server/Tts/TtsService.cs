using System.Data.Common;
using System.Diagnostics;
using CallWaiting.Server.ApiKeys;
using CallWaiting.Server.Cache;
using CallWaiting.Server.Observability;
using CallWaiting.Server.Voices;
using CallWaiting.Speech.Codecs;
using CallWaiting.Speech.Synthesis;

namespace CallWaiting.Server.Tts;

/// <summary>
/// The one way to audio for every transport: resolves a validated request into a job (engines up, the voice for the
/// caller's tenant, format, encoder settings and cache key), then opens its audio (<see cref="OpenAudioAsync"/>) from
/// the cache, from an identical rendering in progress, or from a rendering of its own, and meters what is delivered.
/// Failures are <see cref="TtsRequestException"/>s carrying their kind (invalid input, not found, unavailable).
/// </summary>
public sealed class TtsService(SpeechHost speech, VoiceResolver resolver, AudioCache cache, AudioRenderer renderer, TtsUsageRecorder usage)
{
    /// <summary>
    /// Opens <paramref name="job"/>'s audio for <paramref name="caller"/>: the cached rendering (metered at once, flagged
    /// cached), else a join of an identical rendering in progress, else a rendering of its own (see <see cref="AudioRenderer.Open"/>),
    /// whose first audio is awaited, so that every refusal (bad text, a full queue) is still a <see cref="TtsRequestException"/>.
    /// The caller owns the source.
    /// </summary>
    public async Task<AudioSource> OpenAudioAsync(TtsJob job, TtsCaller caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(caller);
        try
        {
            return await OpenOnceAsync(job, caller, cancellationToken).ConfigureAwait(false);
        }
        catch (TtsRequestException e) when (e.Kind == TtsErrorKind.Unavailable && job.Voice.ForFallback() is { } fallback)
        {
            // The voice's engine is gone or failing (a removed model): its configured fallback speaks, and the source's job says so.
            return await OpenOnceAsync(CreateJob(job.Request, fallback, caller.Key), caller, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<AudioSource> OpenOnceAsync(TtsJob job, TtsCaller caller, CancellationToken cancellationToken)
    {
        AudioRenderingReader reader;
        using (var lookup = StartLookup(job, caller))
        {
            if (job.CacheKey is { } key && await cache.GetAsync(key, cancellationToken).ConfigureAwait(false) is { } hit)
            {
                lookup?.SetTag(ServerActivities.CacheOutcome, "hit").SetTag(ServerActivities.CacheTier, hit.Tier);
                var entry = hit.Entry;
                return AudioSource.FromHit(job, caller, usage, new RenderedAudio(entry.Audio, entry.SampleRate, entry.AudioSeconds, entry.Words));
            }

            // A rendering outlives the lookup that started it: its spans belong beside the lookup, under the request.
            if (lookup is not null) Activity.Current = lookup.Parent;
            reader = renderer.Open(job);
            lookup?.SetTag(ServerActivities.CacheOutcome, job.CacheKey is null ? "bypass" : reader.Coalesced ? "joined" : "miss");
        }

        try
        {
            await reader.WaitForAudioAsync(cancellationToken).ConfigureAwait(false);
            return AudioSource.FromRendering(job, caller, usage, reader);
        }
        catch
        {
            await reader.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// <paramref name="job"/>'s audio as one complete <see cref="WholeFile"/> (the caller disposes it), read through
    /// <see cref="OpenAudioAsync"/>: a hit shares the cached bytes; a rendering is spooled whole before anything is
    /// sent, so every failure is still a <see cref="TtsRequestException"/>, and metered once complete. With
    /// <paramref name="waitForStore"/>, returns only once the rendering is in every cache tier.
    /// </summary>
    internal async Task<(WholeFile File, TtsJob Job, AudioOrigin Origin, string CacheState)> OpenFileAsync(TtsJob job, TtsCaller caller, CancellationToken cancellationToken,
        bool waitForStore = false)
    {
        await using var source = await OpenAudioAsync(job, caller, cancellationToken).ConfigureAwait(false);
        if (source.Hit is { } hit) return (WholeFile.Of(hit, source.Job.Format), source.Job, source.Origin, source.CacheState);
        var file = await WholeFile.SpoolAsync(source, source.Job.Format, cancellationToken).ConfigureAwait(false);
        try
        {
            if (waitForStore) await source.WhenStoredAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await file.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        source.Complete(file.Seconds);
        return (file, source.Job, source.Origin, source.CacheState);
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
    /// second lookup): unavailable while the engines are not running.
    /// </summary>
    public TtsJob CreateJob(TtsRequest request, ResolvedVoice voice, ApiKey key)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(voice);
        ArgumentNullException.ThrowIfNull(key);
        var runtime = Runtime();
        var format = request.Format;
        var encoder = EncoderOptions(format, request.BitrateKbps);

        AudioCacheKey? cacheKey = null;
        if (cache.Caches(runtime.Synthesizer.Catalog.CapabilitiesOf(voice.Speaker)))
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
        catch (VoiceUnavailableException e)
        {
            throw new TtsRequestException(TtsErrorKind.Unavailable, TtsJob.EngineUnavailableCode, e.Message);
        }
        return voice ?? throw TtsJob.VoiceNotFound(voiceId);
    }

    private static Activity? StartLookup(TtsJob job, TtsCaller caller)
    {
        var lookup = ServerActivities.Start("cache.lookup", caller.Context);
        if (lookup is not { IsAllDataRequested: true }) return lookup;
        lookup.SetTag(ServerActivities.TenantId, caller.Key.TenantId);
        lookup.SetTag(SpeechActivities.Voice, job.Voice.Slug);
        lookup.SetTag(SpeechActivities.Format, AudioFormats.Name(job.Format));
        return lookup;
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
