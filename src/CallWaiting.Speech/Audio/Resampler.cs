using System.Buffers;
using System.Runtime.InteropServices;
using CallWaiting.Speech.Audio.Native;

namespace CallWaiting.Speech.Audio;

/// <summary>Streaming mono sample-rate converter backed by libsoxr; a pass-through when the rates are equal.</summary>
public sealed unsafe class Resampler : AudioStage
{
    private const int FlushBlock = 4096;

    private readonly SoxrHandle? _soxr;
    private readonly double _ratio;

    /// <summary>Creates a converter from <paramref name="inputRate"/> to <paramref name="outputRate"/> (each 8–48 kHz).</summary>
    public Resampler(int inputRate, int outputRate, ResamplerQuality quality = ResamplerQuality.High)
    {
        AudioRates.Validate(inputRate, nameof(inputRate));
        AudioRates.Validate(outputRate, nameof(outputRate));
        if (!Enum.IsDefined(quality)) throw new ArgumentOutOfRangeException(nameof(quality), quality, "Unknown resampler quality.");
        InputRate = inputRate;
        OutputRate = outputRate;
        _ratio = (double)outputRate / inputRate;
        if (inputRate != outputRate) _soxr = Create(inputRate, outputRate, quality);
    }

    /// <summary>Rate of the samples passed in.</summary>
    public int InputRate { get; }

    /// <summary>Rate of the samples produced.</summary>
    public int OutputRate { get; }

    /// <summary>True when the rates are equal and samples are copied unchanged.</summary>
    public bool IsPassThrough => _soxr is null;

    private static SoxrHandle Create(int inputRate, int outputRate, ResamplerQuality quality)
    {
        var io = SoxrNative.CreateIoSpec(SoxrNative.Float32Interleaved, SoxrNative.Float32Interleaved);
        var recipe = quality == ResamplerQuality.VeryHigh ? 6u : 4u; // SOXR_VHQ / SOXR_HQ
        var qualitySpec = SoxrNative.CreateQualitySpec(new CULong(recipe), new CULong(0));
        // One thread per resampler: requests already run in parallel, and OpenMP fan-out would oversubscribe the cores.
        var runtime = SoxrNative.CreateRuntimeSpec(1);
        nint error = 0;
        var handle = SoxrNative.Create(inputRate, outputRate, 1, &error, &io, &qualitySpec, &runtime);
        if (error != 0 || handle.IsInvalid)
        {
            handle.Dispose();
            throw new InvalidOperationException($"soxr_create({inputRate} -> {outputRate}) failed: {(error != 0 ? SoxrNative.Describe(error) : "no resampler")}.");
        }

        return handle;
    }

    /// <inheritdoc />
    protected override void ProcessCore(ReadOnlySpan<float> input, IBufferWriter<float> output)
    {
        if (_soxr is null)
        {
            output.Write(input);
            return;
        }

        fixed (float* source = input)
        {
            var consumed = 0;
            while (true)
            {
                var remaining = input.Length - consumed;
                // Room for everything this input can yield plus some filter backlog, so one call usually suffices.
                var room = output.GetSpan((int)Math.Ceiling(remaining * _ratio) + 64);
                nuint used, produced;
                fixed (float* target = room)
                {
                    // source is non-null here (input is not empty), so soxr never mistakes this for end of input.
                    Check(SoxrNative.Process(_soxr, source + consumed, (nuint)remaining, &used, target, (nuint)room.Length, &produced));
                }

                output.Advance((int)produced);
                consumed += (int)used;
                if (consumed == input.Length && (int)produced < room.Length) return;
                if (used == 0 && produced == 0) throw new InvalidOperationException("soxr made no progress.");
            }
        }
    }

    /// <inheritdoc />
    protected override void FlushCore(IBufferWriter<float> output)
    {
        if (_soxr is null) return;
        while (true)
        {
            var room = output.GetSpan(FlushBlock);
            nuint used, produced;
            fixed (float* target = room)
            {
                Check(SoxrNative.Process(_soxr, null, 0, &used, target, (nuint)room.Length, &produced));
            }

            output.Advance((int)produced);
            if (produced == 0) return;
        }
    }

    /// <inheritdoc />
    protected override void DisposeCore() => _soxr?.Dispose();

    private static void Check(nint error)
    {
        if (error != 0) throw new InvalidOperationException($"soxr_process failed: {SoxrNative.Describe(error)}.");
    }
}
