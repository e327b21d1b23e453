namespace CallWaiting.Speech.Audio;

/// <summary>Conversions between decibels and linear amplitude gain.</summary>
public static class Decibels
{
    /// <summary>Linear amplitude gain for <paramref name="decibels"/> (20·log10 convention).</summary>
    public static double ToGain(double decibels) => Math.Pow(10, decibels / 20);

    /// <summary>Decibels for a linear amplitude gain; negative infinity for 0.</summary>
    public static double FromGain(double gain) => 20 * Math.Log10(gain);
}
