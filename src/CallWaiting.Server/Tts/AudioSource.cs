using System.Diagnostics;
using CallWaiting.Speech.Synthesis;

namespace CallWaiting.Server.Tts;

/// <summary>
/// One request's audio, from <see cref="TtsService.OpenAudioAsync"/>: a cache hit, a joined rendering or one of its
/// own, read as pieces with their word timings; a transport only adapts them to its wire and says what it sent.
/// Usage is recorded once, as the caller's <see cref="TtsMetering"/> asks: a hit when opened (flagged cached);
/// a rendering on <see cref="Complete()"/>, or, when the source is disposed without it after audio was sent and
/// without a synthesis failure (the client left), for the audio sent. A failure, or leaving before any audio, costs nothing.
/// </summary>
public sealed class AudioSource : IAsyncDisposable
{
    private readonly TtsJob _job;
    private readonly TtsCaller _caller;
    private readonly TtsUsageRecorder _usage;
    private readonly AudioRenderingReader? _reader;
    private readonly TimeSpan? _firstAudio;
    private bool _hitRead;
    private bool _failed;
    private bool _recorded;
    private long _sentSamples;

    private AudioSource(TtsJob job, TtsCaller caller, TtsUsageRecorder usage, AudioOrigin origin, RenderedAudio? hit,
        AudioRenderingReader? reader, TimeSpan? firstAudio)
    {
        _job = job;
        _caller = caller;
        _usage = usage;
        Origin = origin;
        Hit = hit;
        _reader = reader;
        _firstAudio = firstAudio;
        SampleRate = hit?.SampleRate ?? reader!.SampleRate;
    }

    /// <summary>Where the audio comes from.</summary>
    public AudioOrigin Origin { get; }

    /// <summary>Whether it costs no synthesis of its own (a hit, or a joined rendering).</summary>
    public bool Cached => Origin != AudioOrigin.Miss;

    /// <summary>The job this audio is for: the one opened, or its voice's fallback's when that voice's engine failed.</summary>
    public TtsJob Job => _job;

    /// <summary>The X-Cache value: HIT for a hit or a joined rendering, MISS when synthesized, BYPASS when the job is not cacheable.</summary>
    public string CacheState => _job.CacheKey is null ? "BYPASS" : Cached ? "HIT" : "MISS";

    /// <summary>The audio's sample rate.</summary>
    public int SampleRate { get; }

    /// <summary>The whole cached rendering on a hit (its bytes, shared, for answers that send it in one piece); null otherwise.</summary>
    public RenderedAudio? Hit { get; }

    internal static AudioSource FromHit(TtsJob job, TtsCaller caller, TtsUsageRecorder usage, RenderedAudio hit)
    {
        var source = new AudioSource(job, caller, usage, AudioOrigin.Hit, hit, reader: null, firstAudio: null);
        source.Record(hit.Seconds);
        return source;
    }

    internal static AudioSource FromRendering(TtsJob job, TtsCaller caller, TtsUsageRecorder usage, AudioRenderingReader reader) =>
        new(job, caller, usage, reader.Coalesced ? AudioOrigin.Joined : AudioOrigin.Miss, hit: null, reader,
            Stopwatch.GetElapsedTime(caller.StartedTimestamp));

    /// <summary>The next piece, or null after the last (a hit is one piece); a synthesis failure is thrown, and then nothing is metered.</summary>
    public async ValueTask<AudioPiece?> ReadAsync(CancellationToken cancellationToken)
    {
        if (Hit is { } hit)
        {
            if (_hitRead) return null;
            _hitRead = true;
            return hit.AsPiece();
        }

        try
        {
            return await _reader!.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _failed = true;
            throw;
        }
    }

    /// <summary>Notes that <paramref name="samples"/> more samples reached the client.</summary>
    public void Sent(long samples) => _sentSamples += samples;

    /// <summary>Everything was delivered: records the audio sent, once.</summary>
    public void Complete() => Record((double)_sentSamples / SampleRate);

    /// <summary>As <see cref="Complete()"/>, for a whole file of <paramref name="seconds"/>, recorded once it is ready to send.</summary>
    internal void Complete(double seconds) => Record(seconds);

    /// <summary>Completes once the rendering has ended and a complete one is in every cache tier (at once for a hit).</summary>
    public Task WhenStoredAsync() => _reader?.WhenStoredAsync() ?? Task.CompletedTask;

    /// <summary>Leaves the rendering (cancelling synthesis when no other request reads it); meters what was sent to a client that left.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_reader is not null) await _reader.DisposeAsync().ConfigureAwait(false);
        if (!_failed && _sentSamples > 0) Complete();
    }

    private void Record(double seconds)
    {
        if (_recorded) return;
        _recorded = true;
        if (_caller.Metering == TtsMetering.None || (Cached && _caller.Metering == TtsMetering.SynthesizedOnly)) return;
        _usage.Record(_caller.Context, _caller.Key, _job.Voice.Slug, _job.Format, _job.Request.Characters, seconds,
            Stopwatch.GetElapsedTime(_caller.StartedTimestamp), _firstAudio, Cached);
    }
}
