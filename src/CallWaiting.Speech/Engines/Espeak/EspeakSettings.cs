namespace CallWaiting.Speech.Engines.Espeak;

/// <summary>espeak-ng parameter values for one call, derived from relative prosody.</summary>
/// <param name="WordsPerMinute">espeakRATE, 80–450.</param>
/// <param name="Pitch">espeakPITCH, 0–100 (50 is the voice's own pitch).</param>
/// <param name="Volume">espeakVOLUME, 0–200 (100 is normal).</param>
internal readonly record struct EspeakSettings(int WordsPerMinute, int Pitch, int Volume)
{
    /// <summary>espeak's default speaking rate.</summary>
    public const int NormalWordsPerMinute = 175;

    /// <summary>
    /// Share of a change of espeak's base pitch that shows in the median F0: espeak adds its intonation contour, which
    /// espeakPITCH does not scale, on top of the base (measured about 0.7 on en-US and de voices).
    /// </summary>
    private const double BaseShareOfMedianPitch = 0.7;

    /// <summary>Maps relative prosody onto espeak's scales, clamping to what espeak accepts.</summary>
    /// <remarks>
    /// espeak multiplies the voice's base pitch by 2^((p − 50) / 50) (wavegen.c's pitch_adjust_tab). To move the
    /// median F0 by a factor m, the base must move by 1 + (m − 1) / <see cref="BaseShareOfMedianPitch"/>, so
    /// espeakPITCH reaches its ends near 0.65× and 1.7×. Amplitude is linear in espeakVOLUME.
    /// </remarks>
    public static EspeakSettings From(Prosody prosody)
    {
        var baseFactor = Math.Max(0.5, 1 + (prosody.Pitch - 1) / BaseShareOfMedianPitch);
        return new EspeakSettings(
            (int)Math.Clamp(Math.Round(NormalWordsPerMinute * prosody.Rate), 80, 450),
            (int)Math.Clamp(Math.Round(50 + 50 * Math.Log2(baseFactor)), 0, 100),
            (int)Math.Clamp(Math.Round(100 * prosody.Volume), 0, 200));
    }
}
