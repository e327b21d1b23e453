using System.Globalization;
using CallWaiting.Speech.Engines;

namespace CallWaiting.Speech.Text;

/// <summary>Parses SSML attribute values (break times, prosody rate/pitch/volume, emphasis); each returns null for a value it cannot read.</summary>
internal static class SsmlValues
{
    /// <summary>Pitch offsets in Hz are taken relative to this nominal voice pitch, since the voice's own pitch is not known here.</summary>
    public const double NominalPitchHz = 150;

    /// <summary>Lowest and highest rate or pitch multiplier kept after nesting.</summary>
    public const double MinMultiplier = 0.25, MaxMultiplier = 4.0;

    /// <summary>A break length from its time ("500ms", "2s") or, without one, its strength.</summary>
    public static TimeSpan? Break(string? time, string? strength, TimeSpan max)
    {
        if (time is not null)
        {
            var value = time.AsSpan().Trim();
            var scale = value.EndsWith("ms", StringComparison.Ordinal) ? 1.0 : value.EndsWith('s') ? 1000.0 : double.NaN;
            if (double.IsNaN(scale) || !TryNumber(value[..^(scale == 1.0 ? 2 : 1)].TrimEnd(), out var amount) || amount < 0)
            {
                return null;
            }

            // Clamp in milliseconds before building a TimeSpan, so absurd values cannot overflow it.
            return TimeSpan.FromMilliseconds(Math.Min(amount * scale, max.TotalMilliseconds));
        }

        var milliseconds = (strength ?? "medium") switch
        {
            "none" => 0,
            "x-weak" => 250,
            "weak" => 500,
            "medium" => 750,
            "strong" => 1000,
            "x-strong" => 1250,
            _ => -1,
        };
        return milliseconds < 0 ? null : TimeSpan.FromMilliseconds(Math.Min(milliseconds, max.TotalMilliseconds));
    }

    /// <summary>A rate multiplier: x-slow..x-fast, "80%" (of normal), "+20%"/"-20%" (relative) or a plain multiplier "1.2".</summary>
    public static double? Rate(string value) => value switch
    {
        "x-slow" => 0.5,
        "slow" => 0.75,
        "medium" or "default" => 1.0,
        "fast" => 1.25,
        "x-fast" => 1.75,
        _ => Percent(value) ?? (TryNumber(value, out var n) && n > 0 ? n : null),
    };

    /// <summary>A pitch multiplier: x-low..x-high, semitones "+2st", percent "-10%", or Hz "+50Hz" / "200Hz" (see <see cref="NominalPitchHz"/>).</summary>
    public static double? Pitch(string value)
    {
        switch (value)
        {
            case "x-low": return 0.75;
            case "low": return 0.87;
            case "medium" or "default": return 1.0;
            case "high": return 1.15;
            case "x-high": return 1.3;
        }

        var span = value.AsSpan().Trim();
        if (span.EndsWith("st", StringComparison.Ordinal) && TrySigned(span[..^2], out var semitones))
        {
            return Math.Pow(2, semitones / 12);
        }

        if (span.EndsWith("Hz", StringComparison.OrdinalIgnoreCase) && TrySigned(span[..^2], out var hertz))
        {
            var relative = span[0] is '+' or '-';
            var target = relative ? NominalPitchHz + hertz : hertz;
            return target > 0 ? target / NominalPitchHz : null;
        }

        return Percent(value);
    }

    /// <summary>A volume multiplier: silent..x-loud, decibels "+6dB"/"-3dB", or a relative percentage "+10%".</summary>
    public static double? Volume(string value)
    {
        switch (value)
        {
            case "silent": return 0;
            case "x-soft": return 0.25;
            case "soft": return 0.5;
            case "medium" or "default": return 1.0;
            case "loud": return 1.5;
            case "x-loud": return 2.0;
        }

        var span = value.AsSpan().Trim();
        if (span.EndsWith("dB", StringComparison.OrdinalIgnoreCase) && TrySigned(span[..^2], out var decibels))
        {
            return Math.Pow(10, decibels / 20);
        }

        return span.StartsWith('+') || span.StartsWith('-') ? Percent(value) : null;
    }

    /// <summary>Emphasis as a prosody change: a touch slower and louder, as SSML leaves the rendering to the engine.</summary>
    public static Prosody? Emphasis(string? level) => (level ?? "moderate") switch
    {
        "strong" => new Prosody(0.85, 1.05, 1.4),
        "moderate" => new Prosody(0.92, 1.02, 1.2),
        "reduced" => new Prosody(1.05, 1.0, 0.8),
        "none" => Prosody.Default,
        _ => null,
    };

    /// <summary>Multiplies nested prosody and keeps each factor in a range engines can render.</summary>
    public static Prosody Combine(Prosody outer, Prosody inner) => new(
        Math.Clamp(outer.Rate * inner.Rate, MinMultiplier, MaxMultiplier),
        Math.Clamp(outer.Pitch * inner.Pitch, MinMultiplier, MaxMultiplier),
        Math.Clamp(outer.Volume * inner.Volume, 0, MaxMultiplier));

    // "80%" → 0.8, "+20%" → 1.2, "-20%" → 0.8.
    private static double? Percent(string value)
    {
        var span = value.AsSpan().Trim();
        if (!span.EndsWith('%'))
        {
            return null;
        }

        var body = span[..^1];
        var relative = !body.IsEmpty && body[0] is '+' or '-';
        if (!TrySigned(body, out var amount))
        {
            return null;
        }

        var factor = relative ? 1 + amount / 100 : amount / 100;
        return factor >= 0 ? factor : null;
    }

    private static bool TrySigned(ReadOnlySpan<char> text, out double value) =>
        double.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value)
        && double.IsFinite(value);

    private static bool TryNumber(ReadOnlySpan<char> text, out double value) =>
        double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value) && !double.IsNaN(value);
}
