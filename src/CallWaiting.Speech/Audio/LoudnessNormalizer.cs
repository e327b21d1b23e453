using System.Buffers;

namespace CallWaiting.Speech.Audio;

/// <summary>Streaming automatic gain towards a target loudness (BS.1770 K-weighted, gated), slow enough not to pump.</summary>
/// <remarks>
/// Loudness is measured over 400 ms windows every 100 ms. Windows below an absolute gate, or far below the running
/// estimate (pauses, breaths), leave the estimate and therefore the gain untouched, so silence is never amplified
/// and pauses don't pull the gain up. The estimate is an exponential average with a 3 s time constant; the applied
/// gain glides towards its target per sample. There is no look-ahead, so the first few hundred milliseconds of a
/// stream play at unity gain while the estimate forms.
/// </remarks>
public sealed class LoudnessNormalizer : AudioStage
{
    /// <summary>Default target, a comfortable telephone speech level.</summary>
    public const double DefaultTargetLufs = -20;

    private const double BlockSeconds = 0.1;
    private const int WindowBlocks = 4;
    private const double AbsoluteGateLufs = -50;
    private const double RelativeGateLu = 15;
    private const double EstimateTimeConstantSeconds = 3;
    private const double GainTimeConstantSeconds = 0.25;

    private readonly double _targetLufs;
    private readonly double _maxGainDb;
    private readonly double _maxAttenuationDb;
    private readonly int _blockLength;
    private readonly double _estimateCoefficient;
    private readonly float _gainCoefficient;

    private Biquad _shelf;
    private Biquad _highPass;
    private double _blockEnergy;
    private int _blockFill;
    private readonly double[] _windowEnergies = new double[WindowBlocks];
    private int _windowCount;
    private int _windowNext;
    private double _estimateEnergy = -1; // negative until the first window passes the gate
    private float _gain = 1f;
    private float _targetGain = 1f;

    /// <summary>Creates a normalizer for <paramref name="sampleRate"/> (8–48 kHz).</summary>
    /// <param name="sampleRate">Samples per second.</param>
    /// <param name="targetLufs">Target loudness in LUFS (-40 to -5).</param>
    /// <param name="maxGainDb">Largest boost (0 to 30 dB).</param>
    /// <param name="maxAttenuationDb">Largest cut (0 to 40 dB).</param>
    public LoudnessNormalizer(int sampleRate, double targetLufs = DefaultTargetLufs, double maxGainDb = 12, double maxAttenuationDb = 20)
    {
        AudioRates.Validate(sampleRate, nameof(sampleRate));
        if (!(targetLufs >= -40 && targetLufs <= -5)) throw new ArgumentOutOfRangeException(nameof(targetLufs), targetLufs, "Target must be between -40 and -5 LUFS.");
        if (!(maxGainDb >= 0 && maxGainDb <= 30)) throw new ArgumentOutOfRangeException(nameof(maxGainDb), maxGainDb, "Maximum gain must be between 0 and 30 dB.");
        if (!(maxAttenuationDb >= 0 && maxAttenuationDb <= 40)) throw new ArgumentOutOfRangeException(nameof(maxAttenuationDb), maxAttenuationDb, "Maximum attenuation must be between 0 and 40 dB.");

        SampleRate = sampleRate;
        _targetLufs = targetLufs;
        _maxGainDb = maxGainDb;
        _maxAttenuationDb = maxAttenuationDb;
        _blockLength = (int)Math.Round(sampleRate * BlockSeconds);
        _estimateCoefficient = 1 - Math.Exp(-BlockSeconds / EstimateTimeConstantSeconds);
        _gainCoefficient = (float)(1 - Math.Exp(-1 / (GainTimeConstantSeconds * sampleRate)));
        _shelf = Biquad.KWeightingShelf(sampleRate);
        _highPass = Biquad.KWeightingHighPass(sampleRate);
    }

    /// <summary>Sample rate of input and output.</summary>
    public int SampleRate { get; }

    /// <summary>Gain currently applied, in dB.</summary>
    public double CurrentGainDb => Decibels.FromGain(_gain);

    /// <inheritdoc />
    protected override void ProcessCore(ReadOnlySpan<float> input, IBufferWriter<float> output)
    {
        var target = output.GetSpan(input.Length);
        for (var i = 0; i < input.Length; i++)
        {
            var x = input[i];
            var weighted = _highPass.Process(_shelf.Process(x));
            _blockEnergy += weighted * weighted;
            if (++_blockFill == _blockLength) EndBlock();

            _gain += _gainCoefficient * (_targetGain - _gain);
            target[i] = x * _gain;
        }

        output.Advance(input.Length);
    }

    /// <inheritdoc />
    protected override void FlushCore(IBufferWriter<float> output)
    {
    }

    private void EndBlock()
    {
        _windowEnergies[_windowNext] = _blockEnergy / _blockLength;
        _windowNext = (_windowNext + 1) % WindowBlocks;
        _windowCount = Math.Min(_windowCount + 1, WindowBlocks);
        _blockEnergy = 0;
        _blockFill = 0;

        var windowEnergy = 0.0;
        for (var i = 0; i < _windowCount; i++) windowEnergy += _windowEnergies[i];
        windowEnergy /= _windowCount;

        var loudness = ToLufs(windowEnergy);
        if (loudness < AbsoluteGateLufs) return;
        if (_estimateEnergy < 0)
        {
            _estimateEnergy = windowEnergy;
        }
        else
        {
            if (loudness < ToLufs(_estimateEnergy) - RelativeGateLu) return;
            _estimateEnergy += _estimateCoefficient * (windowEnergy - _estimateEnergy);
        }

        var gainDb = Math.Clamp(_targetLufs - ToLufs(_estimateEnergy), -_maxAttenuationDb, _maxGainDb);
        _targetGain = (float)Decibels.ToGain(gainDb);
    }

    // BS.1770 loudness of a mono K-weighted mean square.
    private static double ToLufs(double meanSquare) => -0.691 + (10 * Math.Log10(meanSquare));
}
