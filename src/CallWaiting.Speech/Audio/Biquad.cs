namespace CallWaiting.Speech.Audio;

/// <summary>A second-order IIR section (transposed direct form II, normalised so a0 = 1) with its own state.</summary>
internal struct Biquad
{
    private readonly double _b0, _b1, _b2, _a1, _a2;
    private double _z1, _z2;

    public Biquad(double b0, double b1, double b2, double a1, double a2)
    {
        _b0 = b0;
        _b1 = b1;
        _b2 = b2;
        _a1 = a1;
        _a2 = a2;
    }

    public double Process(double x)
    {
        var y = (_b0 * x) + _z1;
        _z1 = (_b1 * x) - (_a1 * y) + _z2;
        _z2 = (_b2 * x) - (_a2 * y);
        return y;
    }

    /// <summary>ITU-R BS.1770 stage 1: the +4 dB high-frequency shelf modelling the head, designed for any rate.</summary>
    public static Biquad KWeightingShelf(int sampleRate)
    {
        // Analog prototype of the BS.1770 shelf, mapped through the bilinear transform at this rate.
        const double f0 = 1681.974450955533, gainDb = 3.999843853973347, q = 0.7071752369554196;
        var k = Math.Tan(Math.PI * f0 / sampleRate);
        var vh = Math.Pow(10, gainDb / 20);
        var vb = Math.Pow(vh, 0.4996667741545416);
        var a0 = 1 + (k / q) + (k * k);
        return new Biquad(
            (vh + (vb * k / q) + (k * k)) / a0,
            2 * ((k * k) - vh) / a0,
            (vh - (vb * k / q) + (k * k)) / a0,
            2 * ((k * k) - 1) / a0,
            (1 - (k / q) + (k * k)) / a0);
    }

    /// <summary>ITU-R BS.1770 stage 2: the RLB high-pass (about 38 Hz), designed for any rate.</summary>
    public static Biquad KWeightingHighPass(int sampleRate)
    {
        const double f0 = 38.13547087602444, q = 0.5003270373238773;
        var k = Math.Tan(Math.PI * f0 / sampleRate);
        var a0 = 1 + (k / q) + (k * k);
        return new Biquad(1, -2, 1, 2 * ((k * k) - 1) / a0, (1 - (k / q) + (k * k)) / a0);
    }
}
