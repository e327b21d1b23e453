using System.Diagnostics;
using CallWaiting.Speech.Audio;

namespace CallWaiting.Speech.Workers;

/// <summary>
/// Gathers an engine's audio blocks inside the worker so that fast engines send a few large frames instead of many
/// small ones (each frame costs the parent a read, a conversion and an async hop). The first block of a request goes
/// out at once, for time to first audio; later ones wait until a quarter second of audio or a few milliseconds of
/// engine time has gathered, which an engine running far faster than real time never notices.
/// </summary>
internal sealed class AudioBatcher
{
    private static readonly long MaxHoldTicks = Stopwatch.Frequency / 100; // 10 ms of engine time

    private readonly short[] _samples = new short[WorkerProtocol.MaxSamplesPerFrame];
    private readonly List<WordBoundary> _words = [];
    private int _count;
    private int _sampleRate;
    private bool _sentFirst;
    private long _heldSince;

    /// <summary>Forgets everything: a new request starts.</summary>
    public void Reset()
    {
        _count = 0;
        _words.Clear();
        _sentFirst = false;
    }

    /// <summary>Adds one engine block, sending through <paramref name="send"/> whenever a frame is due.</summary>
    public void Add(ReadOnlySpan<short> samples, int sampleRate, IReadOnlyList<WordBoundary> words, Action<ReadOnlySpan<short>, int, IReadOnlyList<WordBoundary>> send)
    {
        if (_count > 0 && sampleRate != _sampleRate) Flush(send);
        if (!_sentFirst || samples.Length > _samples.Length - _count)
        {
            Flush(send);
            if (!_sentFirst || samples.Length > _samples.Length)
            {
                send(samples, sampleRate, words);
                _sentFirst = true;
                return;
            }
        }

        if (_count == 0) _heldSince = Stopwatch.GetTimestamp();
        foreach (var w in words) _words.Add(w with { SampleOffset = w.SampleOffset + _count });
        samples.CopyTo(_samples.AsSpan(_count));
        _count += samples.Length;
        _sampleRate = sampleRate;
        if (_count >= sampleRate / 4 || Stopwatch.GetTimestamp() - _heldSince >= MaxHoldTicks) Flush(send);
    }

    /// <summary>Sends whatever is held.</summary>
    public void Flush(Action<ReadOnlySpan<short>, int, IReadOnlyList<WordBoundary>> send)
    {
        if (_count == 0 && _words.Count == 0) return;
        send(_samples.AsSpan(0, _count), _sampleRate, _words);
        _count = 0;
        _words.Clear();
    }
}
