using System.Buffers;
using System.Numerics;
using System.Runtime.InteropServices;

namespace CallWaiting.Speech.Audio;

/// <summary>Streaming look-ahead peak limiter: no output sample exceeds the ceiling, and audio below it passes bit-exact.</summary>
/// <remarks>
/// Per sample, the gain needed to keep it under the ceiling is held for the look-ahead window (sliding minimum),
/// released slowly (one-pole), then averaged over the window, so the gain ramps down before a peak instead of
/// clipping it. The signal is delayed by the window minus one sample to line up with that gain; the delay is
/// drained on flush, so output length equals input length and output sample k corresponds to input sample k.
/// </remarks>
public sealed class PeakLimiter : AudioStage
{
    /// <summary>Default ceiling, leaving headroom for lossy encoders' inter-sample overshoot.</summary>
    public const double DefaultCeilingDb = -1.0;

    // Once the released gain is within 0.001 dB of 1 it snaps to exactly 1 (an inaudible step), so audio below the
    // ceiling passes bit-exact again within about a second instead of creeping towards 1 forever.
    private const float UnitySnap = 1e-4f;

    // Samples checked for the pass-through at a time: long enough to amortize the check, short enough that the
    // per-sample path runs only near a stream's start or a peak.
    private const int PassThroughBlock = 512;

    private readonly float _ceiling;
    private readonly float _releaseCoefficient;
    private readonly int _window;

    // Ring buffers shared by one index: the delayed input and the released gains in the averaging window.
    private readonly float[] _delayed;
    private readonly float[] _released;
    private int _position;

    // Monotonic deque (ring of capacity _window) of required gains, giving the sliding-window minimum in O(1) amortized.
    private readonly float[] _minValues;
    private readonly long[] _minIndices;
    private int _minHead;
    private int _minCount;

    private long _index;
    private float _gain = 1f;
    private double _gainSum;
    private int _unityCount;

    /// <summary>Creates a limiter for <paramref name="sampleRate"/> (8–48 kHz).</summary>
    /// <param name="sampleRate">Samples per second.</param>
    /// <param name="ceilingDb">Highest allowed peak, in dBFS (-40 to 0).</param>
    /// <param name="lookAheadMs">Look-ahead, which is also the attack ramp and the latency (0.1 to 50 ms).</param>
    /// <param name="releaseMs">Release time constant (1 to 2000 ms).</param>
    public PeakLimiter(int sampleRate, double ceilingDb = DefaultCeilingDb, double lookAheadMs = 5, double releaseMs = 80)
    {
        AudioRates.Validate(sampleRate, nameof(sampleRate));
        if (!(ceilingDb >= -40 && ceilingDb <= 0)) throw new ArgumentOutOfRangeException(nameof(ceilingDb), ceilingDb, "Ceiling must be between -40 and 0 dBFS.");
        if (!(lookAheadMs >= 0.1 && lookAheadMs <= 50)) throw new ArgumentOutOfRangeException(nameof(lookAheadMs), lookAheadMs, "Look-ahead must be between 0.1 and 50 ms.");
        if (!(releaseMs >= 1 && releaseMs <= 2000)) throw new ArgumentOutOfRangeException(nameof(releaseMs), releaseMs, "Release must be between 1 and 2000 ms.");

        SampleRate = sampleRate;
        CeilingDb = ceilingDb;
        _ceiling = (float)Decibels.ToGain(ceilingDb);
        _releaseCoefficient = (float)(1 - Math.Exp(-1000.0 / (releaseMs * sampleRate)));
        _window = Math.Max(1, (int)Math.Round(lookAheadMs * sampleRate / 1000));
        _delayed = new float[_window];
        _released = new float[_window];
        Array.Fill(_released, 1f);
        _gainSum = _window;
        _unityCount = _window;
        _minValues = new float[_window];
        _minIndices = new long[_window];
    }

    /// <summary>Sample rate of input and output.</summary>
    public int SampleRate { get; }

    /// <summary>Highest allowed peak, in dBFS.</summary>
    public double CeilingDb { get; }

    /// <summary>Samples by which output lags input until the flush drains them.</summary>
    public int LatencySamples => _window - 1;

    /// <inheritdoc />
    protected override void ProcessCore(ReadOnlySpan<float> input, IBufferWriter<float> output)
    {
        var target = output.GetSpan(input.Length);
        var written = 0;
        // Sub-blocks, so that a stream's priming or one loud peak costs the per-sample path only where it happens,
        // not for a whole sentence of audio (a neural engine yields one block per sentence).
        for (var start = 0; start < input.Length; start += PassThroughBlock)
        {
            var block = input.Slice(start, Math.Min(PassThroughBlock, input.Length - start));
            if (TryPassThrough(block, target[written..]))
            {
                written += block.Length;
                continue;
            }

            foreach (var sample in block)
            {
                if (Step(sample, out var limited)) target[written++] = limited;
            }
        }

        output.Advance(written);
    }

    /// <summary>
    /// The common case for speech: the limiter is idle (unity gain across the window) and the block stays under the
    /// ceiling, so every sample comes out unchanged, only delayed. This does what <see cref="Step"/> would do for such a
    /// block, bit for bit, at a fraction of the cost — the limiter otherwise dominates the pipeline's CPU time.
    /// </summary>
    private bool TryPassThrough(ReadOnlySpan<float> input, Span<float> target)
    {
        if (input.IsEmpty || _index < LatencySamples || _gain != 1f || _unityCount != _window || _minValues[_minHead] != 1f
            || !AllWithin(input, _ceiling))
            return false;

        // Output is the input delayed by LatencySamples: first the history held in the ring, then the block itself.
        var n = input.Length;
        var delay = LatencySamples;
        var fromHistory = Math.Min(n, delay);
        var start = _position + 1 == _window ? 0 : _position + 1; // the oldest sample still to be sent
        var firstRun = Math.Min(fromHistory, _window - start);
        _delayed.AsSpan(start, firstRun).CopyTo(target);
        _delayed.AsSpan(0, fromHistory - firstRun).CopyTo(target[firstRun..]);
        if (n > delay) input[..(n - delay)].CopyTo(target[delay..]);

        // The ring keeps the newest _window samples, each in the slot of its stream index modulo _window.
        var keep = Math.Min(n, _window);
        var slot = (int)((_position + (long)n - keep) % _window);
        var tail = input[(n - keep)..];
        var firstPart = Math.Min(keep, _window - slot);
        tail[..firstPart].CopyTo(_delayed.AsSpan(slot));
        tail[firstPart..].CopyTo(_delayed);
        _position = (int)((_position + (long)n) % _window);
        _index += n;

        // Step would leave only the newest required gain (1) in the minimum deque.
        _minHead = 0;
        _minCount = 1;
        _minValues[0] = 1f;
        _minIndices[0] = _index - 1;
        return true;
    }

    /// <summary>Whether every sample is finite and within ±<paramref name="ceiling"/> (NaN fails the comparison).</summary>
    private static bool AllWithin(ReadOnlySpan<float> samples, float ceiling)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated && samples.Length >= Vector<float>.Count)
        {
            var limit = new Vector<float>(ceiling);
            var vectors = MemoryMarshal.Cast<float, Vector<float>>(samples);
            foreach (var v in vectors)
                if (!Vector.LessThanOrEqualAll(Vector.Abs(v), limit)) return false;
            i = vectors.Length * Vector<float>.Count;
        }
        for (; i < samples.Length; i++)
            if (!(MathF.Abs(samples[i]) <= ceiling)) return false;
        return true;
    }

    /// <inheritdoc />
    protected override void FlushCore(IBufferWriter<float> output)
    {
        var target = output.GetSpan(LatencySamples);
        var written = 0;
        for (var i = 0; i < LatencySamples; i++)
        {
            if (Step(0f, out var limited)) target[written++] = limited;
        }

        output.Advance(written);
    }

    /// <summary>Takes one input sample; returns true with the output sample once the delay line is primed.</summary>
    private bool Step(float sample, out float limited)
    {
        // As the last stage before encoders, the limiter also guarantees finite output.
        if (!float.IsFinite(sample)) sample = 0f;
        var magnitude = MathF.Abs(sample);
        var required = magnitude > _ceiling ? _ceiling / magnitude : 1f;
        var held = PushMinimum(required);

        // Instant attack (the look-ahead average makes it a ramp), exponential release.
        if (held < _gain)
        {
            _gain = held;
        }
        else if (_gain < held)
        {
            _gain += _releaseCoefficient * (held - _gain);
            if (held == 1f && 1f - _gain <= UnitySnap) _gain = 1f;
        }

        var outgoing = _released[_position];
        _released[_position] = _gain;
        if (outgoing == 1f) _unityCount--;
        if (_gain == 1f) _unityCount++;
        _gainSum += _gain - outgoing;

        _delayed[_position] = sample;
        _position = _position + 1 == _window ? 0 : _position + 1;
        var delayedSample = _delayed[_position]; // the sample from _window - 1 steps ago
        var index = _index++;

        limited = 0f;
        if (index < LatencySamples) return false;

        float gain;
        if (_unityCount == _window)
        {
            gain = 1f;
            _gainSum = _window; // resynchronise the running sum so rounding never accumulates
        }
        else
        {
            gain = (float)(_gainSum / _window);
        }

        // Every averaged gain is at most what this sample needs, so this clamp only absorbs float rounding.
        limited = Math.Clamp(delayedSample * gain, -_ceiling, _ceiling);
        return true;
    }

    /// <summary>Adds the newest required gain and returns the minimum over the last <c>_window</c> samples.</summary>
    private float PushMinimum(float value)
    {
        // Expire first so the ring never holds more than _window entries.
        if (_minCount > 0 && _minIndices[_minHead] <= _index - _window)
        {
            _minHead = Wrap(_minHead + 1);
            _minCount--;
        }

        while (_minCount > 0 && _minValues[Wrap(_minHead + _minCount - 1)] >= value) _minCount--;
        var slot = Wrap(_minHead + _minCount);
        _minValues[slot] = value;
        _minIndices[slot] = _index;
        _minCount++;
        return _minValues[_minHead];
    }

    private int Wrap(int slot) => slot >= _window ? slot - _window : slot;
}
