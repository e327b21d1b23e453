using System.Buffers;

namespace CallWaiting.Speech.Audio;

/// <summary>Constant volume multiplier (e.g. SSML volume); a pass-through at gain 1.</summary>
public sealed class GainStage : AudioStage
{
    /// <summary>Largest allowed gain (+24 dB); anything louder is certainly a mistake.</summary>
    public const double MaxGain = 16;

    private readonly float _gain;

    /// <summary>Creates a stage multiplying every sample by <paramref name="gain"/> (0 to <see cref="MaxGain"/>).</summary>
    public GainStage(double gain)
    {
        if (!(gain >= 0 && gain <= MaxGain)) throw new ArgumentOutOfRangeException(nameof(gain), gain, $"Gain must be between 0 and {MaxGain}.");
        Gain = gain;
        _gain = (float)gain;
    }

    /// <summary>The linear multiplier.</summary>
    public double Gain { get; }

    /// <summary>True when the gain is exactly 1 and samples are copied unchanged.</summary>
    public bool IsPassThrough => Gain == 1.0;

    /// <summary>Creates a stage from a gain in decibels (-inf to +24 dB).</summary>
    public static GainStage FromDecibels(double decibels) => new(Decibels.ToGain(decibels));

    /// <inheritdoc />
    protected override void ProcessCore(ReadOnlySpan<float> input, IBufferWriter<float> output)
    {
        var target = output.GetSpan(input.Length)[..input.Length];
        if (IsPassThrough)
        {
            input.CopyTo(target);
        }
        else
        {
            for (var i = 0; i < input.Length; i++) target[i] = input[i] * _gain;
        }

        output.Advance(input.Length);
    }

    /// <inheritdoc />
    protected override void FlushCore(IBufferWriter<float> output)
    {
    }
}
