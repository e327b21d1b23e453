using System.Data.Common;
using CallWaiting.Server.ApiKeys;
using CallWaiting.Server.Cache;
using CallWaiting.Server.Voices;
using CallWaiting.Speech.Codecs;
using CallWaiting.Speech.Synthesis;
using Microsoft.AspNetCore.Http;

namespace CallWaiting.Server.Tts;

/// <summary>
/// The shared front half of every synthesis endpoint: checks the engines are up, resolves the voice for the caller's
/// tenant, settles the format and encoder settings and computes the cache key. Failures are <see cref="TtsRequestException"/>s
/// carrying the status to answer (400, 404, 503).
/// </summary>
public sealed class TtsService(SpeechHost speech, VoiceResolver resolver, AudioCache cache, AudioRenderer renderer)
{
    /// <summary>The audio cache the endpoints read and fill.</summary>
    public AudioCache Cache => cache;

    /// <summary>
    /// Starts rendering <paramref name="job"/>, or joins an identical rendering already in progress; see
    /// <see cref="AudioRenderer.Open"/>. The caller owns the reader.
    /// </summary>
    public AudioRenderingReader Render(TtsJob job) => renderer.Open(job);

    /// <summary>Resolves a validated request for <paramref name="key"/>'s tenant into a job ready to look up or synthesize.</summary>
    public Task<TtsJob> CreateJobAsync(TtsRequest request, ApiKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return CreateJobAsync(request, key, (catalog, tenantId, ct) => resolver.ResolveAsync(catalog, request.VoiceId, tenantId, ct), cancellationToken);
    }

    /// <summary>
    /// As <see cref="CreateJobAsync(TtsRequest, ApiKey, CancellationToken)"/>, with the voice found by
    /// <paramref name="resolveVoice"/> (catalog, tenant) instead of by the request's voice id alone, for APIs with
    /// voice names of their own; a DbException or TimeoutException from it is a 503, null a 404.
    /// </summary>
    public async Task<TtsJob> CreateJobAsync(TtsRequest request, ApiKey key,
        Func<VoiceCatalog, Guid, CancellationToken, Task<ResolvedVoice?>> resolveVoice, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(resolveVoice);
        var runtime = speech.Runtime
            ?? throw new TtsRequestException(StatusCodes.Status503ServiceUnavailable, "engines_starting", "Speech engines are still starting; retry shortly.");

        ResolvedVoice? voice;
        try
        {
            voice = await resolveVoice(runtime.Synthesizer.Catalog, key.TenantId, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is DbException or TimeoutException)
        {
            throw new TtsRequestException(StatusCodes.Status503ServiceUnavailable, "database_unavailable", "Private voices cannot be looked up right now; retry shortly.");
        }
        if (voice is null) throw TtsJob.VoiceNotFound(request.VoiceId);

        if (!AudioFormats.TryParse(request.Format, out var format))
            throw new TtsRequestException(StatusCodes.Status400BadRequest, "invalid_request", $"Unknown format '{request.Format}'.");
        var encoder = EncoderOptions(format, request.BitrateKbps);

        AudioCacheKey? cacheKey = null;
        if (cache.Caches(runtime.Pool.GetCapabilities(voice.Speaker.Engine)))
        {
            // Catalog voices are public and shared by every tenant; any other voice came from the tenant's own rows.
            var privateTo = voice.Id == voice.Speaker.Id ? (Guid?)null : key.TenantId;
            cacheKey = AudioCacheKeys.ForSynthesis(request.Text, request.Ssml, voice.Speaker, voice.Id, privateTo, format,
                request.SampleRate, request.Speed, request.Seed, encoder, runtime.Synthesizer.Options, request.Tempo);
        }
        return new TtsJob(runtime, request, voice, format, encoder, cacheKey);
    }

    private static AudioEncoderOptions EncoderOptions(AudioFormat format, int? bitrateKbps) => (format, bitrateKbps) switch
    {
        (_, null) => AudioEncoderOptions.Default,
        (AudioFormat.Mp3, { } kbps) => new AudioEncoderOptions { Mp3BitrateKbps = kbps },
        (AudioFormat.Opus, { } kbps) => new AudioEncoderOptions { OpusBitrateKbps = kbps },
        _ => AudioEncoderOptions.Default,
    };
}
