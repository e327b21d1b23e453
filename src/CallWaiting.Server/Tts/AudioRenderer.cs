using CallWaiting.Server.Cache;

namespace CallWaiting.Server.Tts;

/// <summary>
/// Starts renderings, and coalesces identical ones: a cacheable job whose cache key is already being rendered joins
/// that rendering instead of synthesizing again (fifty calls that open with the same greeting at once cost one
/// synthesis). The finished rendering is stored in the audio cache by the rendering itself, once, whoever asked for it.
/// </summary>
public sealed class AudioRenderer(AudioCache cache, AudioCacheMetrics metrics)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<AudioCacheKey, AudioRendering> _running = [];

    /// <summary>
    /// Joins the rendering of <paramref name="job"/>'s cache key if one is running, else starts one. The caller owns
    /// the reader; the job's refusals (bad text, a full queue) reach it from <see cref="AudioRenderingReader.WaitForAudioAsync"/>.
    /// </summary>
    public AudioRenderingReader Open(TtsJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        AudioRendering rendering;
        AudioRenderingReader reader;
        var key = job.CacheKey;
        if (key is null)
        {
            rendering = new AudioRendering(maxRetainedBytes: 0);
            rendering.TryJoin(coalesced: false, out reader);
            rendering.Start(job, store: null, onEnded: static () => { });
            return reader;
        }

        lock (_gate)
        {
            if (_running.TryGetValue(key.Value, out var running) && running.TryJoin(coalesced: true, out reader))
            {
                metrics.Coalesced.Inc();
                return reader;
            }
            // Registered before it starts, so that an identical request arriving meanwhile joins instead of starting too.
            rendering = new AudioRendering(cache.MaxEntryBytes);
            rendering.TryJoin(coalesced: false, out reader);
            _running[key.Value] = rendering;
        }

        rendering.Start(job, entry => cache.StoreAsync(key.Value, entry, CancellationToken.None), () =>
        {
            lock (_gate)
            {
                if (_running.TryGetValue(key.Value, out var current) && current == rendering) _running.Remove(key.Value);
            }
        });
        return reader;
    }
}
