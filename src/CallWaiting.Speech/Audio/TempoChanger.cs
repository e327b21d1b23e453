using System.Buffers;
using CallWaiting.Speech.Audio.Native;

namespace CallWaiting.Speech.Audio;

/// <summary>Streaming speed change (0.5–2.0×) that keeps the pitch, backed by libsonic's pitch-synchronous overlap-add.</summary>
public sealed unsafe class TempoChanger : AudioStage
{
    /// <summary>Slowest supported speed.</summary>
    public const double MinSpeed = 0.5;

    /// <summary>Fastest supported speed.</summary>
    public const double MaxSpeed = 2.0;

    private const int ScratchLength = 4096;

    private readonly SonicHandle? _sonic;
    private readonly float[] _scratch = [];

    /// <summary>Creates a tempo changer for mono audio at <paramref name="sampleRate"/> (8–48 kHz); speed 1.0 is a pass-through.</summary>
    public TempoChanger(int sampleRate, double speed)
    {
        AudioRates.Validate(sampleRate, nameof(sampleRate));
        if (!(speed >= MinSpeed && speed <= MaxSpeed))
            throw new ArgumentOutOfRangeException(nameof(speed), speed, $"Speed must be between {MinSpeed} and {MaxSpeed}.");
        SampleRate = sampleRate;
        Speed = speed;
        if (speed == 1.0) return;

        _sonic = SonicNative.CreateStream(sampleRate, 1);
        if (_sonic.IsInvalid)
        {
            _sonic.Dispose();
            throw new OutOfMemoryException("sonicCreateStream failed.");
        }

        SonicNative.SetSpeed(_sonic, (float)speed);
        _scratch = new float[ScratchLength];
    }

    /// <summary>Sample rate of input and output.</summary>
    public int SampleRate { get; }

    /// <summary>Playback speed: output duration is input duration / speed.</summary>
    public double Speed { get; }

    /// <summary>True when speed is 1.0 and samples are copied unchanged.</summary>
    public bool IsPassThrough => _sonic is null;

    /// <inheritdoc />
    protected override void ProcessCore(ReadOnlySpan<float> input, IBufferWriter<float> output)
    {
        if (_sonic is null)
        {
            output.Write(input);
            return;
        }

        for (var offset = 0; offset < input.Length; offset += ScratchLength)
        {
            var block = input.Slice(offset, Math.Min(ScratchLength, input.Length - offset));
            // sonic converts floats to 16-bit with a bare cast: out-of-range values would wrap around and NaN is undefined.
            for (var i = 0; i < block.Length; i++)
            {
                var v = block[i];
                _scratch[i] = float.IsNaN(v) ? 0f : Math.Clamp(v, -1f, 1f);
            }

            fixed (float* samples = _scratch)
            {
                if (SonicNative.WriteFloatToStream(_sonic, samples, block.Length) == 0)
                    throw new OutOfMemoryException("sonicWriteFloatToStream could not grow its buffer.");
            }

            Drain(_sonic, output);
        }
    }

    /// <inheritdoc />
    protected override void FlushCore(IBufferWriter<float> output)
    {
        if (_sonic is null) return;
        if (SonicNative.FlushStream(_sonic) == 0) throw new OutOfMemoryException("sonicFlushStream could not grow its buffer.");
        Drain(_sonic, output);
    }

    /// <inheritdoc />
    protected override void DisposeCore() => _sonic?.Dispose();

    private static void Drain(SonicHandle sonic, IBufferWriter<float> output)
    {
        int available;
        while ((available = SonicNative.SamplesAvailable(sonic)) > 0)
        {
            var room = output.GetSpan(available);
            int read;
            fixed (float* target = room)
            {
                read = SonicNative.ReadFloatFromStream(sonic, target, Math.Min(available, room.Length));
            }

            output.Advance(read);
        }
    }
}
