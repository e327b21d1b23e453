using CallWaiting.Server.ApiKeys;
using CallWaiting.Server.Observability;
using CallWaiting.Server.Usage;
using CallWaiting.Speech.Codecs;
using Microsoft.AspNetCore.Http;

namespace CallWaiting.Server.Tts;

/// <summary>Meters one delivered synthesis (usage event, tts metrics, per-tenant usage metrics, the request log's cached flag), from a fresh rendering or the cache.</summary>
public sealed class TtsUsageRecorder(IApiMeter meter, ServerMetrics metrics, TenantUsageMetrics tenants, TimeProvider time)
{
    /// <summary>Records what was delivered: characters as billed, seconds of audio sent, and whether it came from the cache (noted in <paramref name="context"/>'s log when there is one).</summary>
    public void Record(HttpContext? context, ApiKey key, string voiceSlug, AudioFormat format, int characters, double audioSeconds,
        TimeSpan elapsed, TimeSpan? firstAudio, bool cached)
    {
        Record(key, voiceSlug, format, characters, audioSeconds, elapsed, firstAudio, cached);
        if (cached) context?.Features.Get<RequestTelemetry>()?.Cached = true;
    }

    /// <summary>
    /// Records a delivery outside an HTTP request (a WebSocket flush): the usage event and the tts metrics;
    /// <paramref name="elapsed"/> is the synthesis time and <paramref name="firstAudio"/> the time to the first audio, if known.
    /// </summary>
    public void Record(ApiKey key, string voiceSlug, AudioFormat format, int characters, double audioSeconds,
        TimeSpan elapsed, TimeSpan? firstAudio, bool cached)
    {
        meter.RecordSynthesis(key, time.GetUtcNow(), characters, audioSeconds, cached ? 0 : (long)elapsed.TotalMilliseconds, cached);
        metrics.TtsRequests.WithLabels(voiceSlug, AudioFormats.Name(format)).Inc();
        tenants.Record(key.TenantId, characters, audioSeconds);
        if (cached) return;
        metrics.GenerationDuration.Observe(elapsed.TotalSeconds);
        if (firstAudio is { } first) metrics.TimeToFirstAudio.Observe(first.TotalSeconds);
    }
}
