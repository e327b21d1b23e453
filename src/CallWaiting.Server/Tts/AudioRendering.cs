using System.Threading.Channels;
using CallWaiting.Server.Cache;
using CallWaiting.Speech.Codecs;
using CallWaiting.Speech.Engines;
using CallWaiting.Speech.Synthesis;

namespace CallWaiting.Server.Tts;

/// <summary>
/// One synthesis running in the background for one or more readers. Every reader gets every piece from the first, so
/// a request that joins mid-rendering is sent what was already made and then follows along; a reader that falls
/// behind only holds its own unread pieces. Synthesis is cancelled as soon as the last reader leaves before the end.
/// </summary>
/// <remarks>
/// While new readers may still join, every piece is kept (up to <c>maxRetainedBytes</c>; past that the rendering
/// stops taking readers and is not stored). A complete rendering is handed to <c>store</c> before it stops taking
/// readers, so a request for the same audio either joins it or finds it in the cache, never starts it again.
/// </remarks>
internal sealed class AudioRendering
{
    private readonly Lock _gate = new();
    private readonly List<Channel<AudioPiece>> _readers = [];
    private readonly CancellationTokenSource _cancel = new();
    private readonly long _maxRetainedBytes;
    private List<AudioPiece>? _retained;
    private long _retainedBytes;
    private bool _complete;
    private bool _abandoned;
    private volatile Task _run = Task.CompletedTask; // set by Start on the opening thread, awaited by leaving readers on others

    /// <summary>A rendering that keeps up to <paramref name="maxRetainedBytes"/> for late readers (0: none may join).</summary>
    public AudioRendering(long maxRetainedBytes)
    {
        _maxRetainedBytes = maxRetainedBytes;
        _retained = maxRetainedBytes > 0 ? [] : null;
    }

    /// <summary>The output sample rate, known before the first piece is handed out.</summary>
    public int SampleRate { get; private set; }

    /// <summary>
    /// Prepares and starts <paramref name="job"/> (synchronously up to its first wait; a refusal reaches every reader);
    /// <paramref name="store"/> receives the complete rendering when it was retained whole, and <paramref name="onEnded"/>
    /// runs once nobody can join any more.
    /// </summary>
    public void Start(TtsJob job, Func<AudioCacheEntry, Task>? store, Action onEnded) => _run = RunAsync(job, store, onEnded);

    /// <summary>Completes once the rendering has ended and, when it was complete, has been stored.</summary>
    public Task Ended => _run;

    /// <summary>Adds a reader that will see every piece from the first; false once the rendering no longer takes readers.</summary>
    public bool TryJoin(bool coalesced, out AudioRenderingReader reader)
    {
        lock (_gate)
        {
            if (_retained is null && (_readers.Count > 0 || _complete || _abandoned))
            {
                reader = null!;
                return false;
            }

            var channel = Channel.CreateUnbounded<AudioPiece>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
            foreach (var piece in _retained ?? []) channel.Writer.TryWrite(piece);
            if (_complete) channel.Writer.TryComplete();
            else _readers.Add(channel);
            reader = new AudioRenderingReader(this, channel.Reader, coalesced);
            return true;
        }
    }

    /// <summary>Called by a reader that is done; the last one to leave an unfinished rendering cancels it and waits until it has stopped.</summary>
    internal async ValueTask LeaveAsync(ChannelReader<AudioPiece> reader)
    {
        lock (_gate)
        {
            _readers.RemoveAll(c => c.Reader == reader);
            if (_readers.Count > 0 || _complete) return;
            _retained = null;
            _abandoned = true;
        }

        // Outside the lock: cancellation runs the source's callbacks inline.
        await _cancel.CancelAsync().ConfigureAwait(false);
        // The worker is free before the leaving request ends.
        await _run.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async Task RunAsync(TtsJob job, Func<AudioCacheEntry, Task>? store, Action onEnded)
    {
        try
        {
            var plan = job.Prepare();
            var encoder = job.CreateEncoder(plan);
            SampleRate = plan.OutputSampleRate;
            await foreach (var piece in job.EncodeAsync(plan, encoder, _cancel.Token).ConfigureAwait(false))
            {
                lock (_gate)
                {
                    if (_retained is not null)
                    {
                        _retainedBytes += piece.Audio.Length;
                        if (_retainedBytes <= _maxRetainedBytes) _retained.Add(piece);
                        else _retained = null;
                    }
                    foreach (var channel in _readers) channel.Writer.TryWrite(piece);
                }
            }

            List<AudioPiece>? whole;
            lock (_gate)
            {
                _complete = true;
                foreach (var channel in _readers) channel.Writer.TryComplete();
                _readers.Clear();
                whole = _retained;
            }

            if (whole is not null && store is not null) await store(ToEntry(whole)).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            var failure = Describe(e);
            lock (_gate)
            {
                _retained = null; // a reader joining now must not take the partial audio for a whole rendering
                _complete = true;
                foreach (var channel in _readers) channel.Writer.TryComplete(failure);
                _readers.Clear();
            }
        }
        finally
        {
            // _cancel is not disposed: a last reader may cancel it just after the end, and without a timer it holds nothing.
            lock (_gate) _retained = null;
            onEnded();
        }
    }

    /// <summary>The whole rendering as one cache entry.</summary>
    private AudioCacheEntry ToEntry(List<AudioPiece> pieces)
    {
        var whole = RenderedAudio.Join(pieces, SampleRate);
        return new AudioCacheEntry(whole.Audio, whole.SampleRate, whole.Seconds, whole.Words);
    }

    // A refusal before the first piece must reach readers as a JSON-ready TtsRequestException.
    private static Exception Describe(Exception e) => e switch
    {
        EngineException engine => TtsJob.EngineFailure(engine),
        AudioEncoderException => new TtsRequestException(TtsErrorKind.Failed, "synthesis_failed", "Encoding the audio failed; please retry."),
        _ => e,
    };
}
