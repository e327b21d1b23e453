using System.Globalization;
using System.Text.RegularExpressions;

namespace CallWaiting.Speech.Text;

/// <summary>
/// English times of day: "9:30 AM" → "nine thirty A.M.", "14:05" → "fourteen oh five", "9am" → "nine A.M.".
/// "A.M." is written with periods because espeak-ng reads a bare "A M" as the article "a" and flite drops "AM";
/// that period also carries a sentence end when the source's "a.m." had one.
/// </summary>
internal static class TimeRules
{
    private static readonly Regex Clock = TextPatterns.Create(
        @"\b([0-9]{1,2}):([0-9]{2})(:([0-9]{2}))?( ?([AaPp])\.?[Mm]\b\.?)?");

    private static readonly Regex HourOnly = TextPatterns.Create(@"\b([0-9]{1,2}) ?([AaPp])\.?[Mm]\b\.?");

    /// <summary>Replaces times of day in <paramref name="text"/> with their spoken form.</summary>
    public static string Apply(string text)
    {
        text = Clock.Replace(text, m =>
        {
            if (TextPatterns.AlnumAt(text, m.Index + m.Length) || m.Index > 0 && text[m.Index - 1] == ':')
            {
                return m.Value;
            }

            var seconds = m.Groups[4].Success ? int.Parse(m.Groups[4].Value, CultureInfo.InvariantCulture) : (int?)null;
            return Speak(Int(m.Groups[1]), Int(m.Groups[2]), seconds, Meridiem(m.Groups[6])) ?? m.Value;
        });
        return HourOnly.Replace(text, m => Speak(Int(m.Groups[1]), 0, null, Meridiem(m.Groups[2])) ?? m.Value);
    }

    /// <summary>Speaks a time of day; null when it is not a valid time.</summary>
    public static string? Speak(int hour, int minute, int? seconds, char? meridiem)
    {
        if (minute > 59 || seconds > 59 || (meridiem is null ? hour > 23 : hour is < 1 or > 12))
        {
            return null;
        }

        var words = NumberWords.Cardinal(hour);
        words += minute switch
        {
            0 when meridiem is not null => string.Empty,
            0 when hour > 12 => " hundred",
            0 => " o'clock",
            < 10 => " oh " + NumberWords.Cardinal(minute),
            _ => " " + NumberWords.Cardinal(minute),
        };
        if (seconds is { } s and > 0)
        {
            words += " and " + NumberWords.Cardinal(s) + (s == 1 ? " second" : " seconds");
        }

        return meridiem is { } c ? words + (c == 'a' ? " A.M." : " P.M.") : words;
    }

    /// <summary>Parses "9:30", "9:30 pm", "21:15:05" or "9am" and speaks it; null when it is not a time.</summary>
    public static string? Speak(ReadOnlySpan<char> time)
    {
        var text = time.Trim().ToString();
        var clock = Clock.Match(text);
        if (clock.Success && clock.Length == text.Length)
        {
            var seconds = clock.Groups[4].Success ? Int(clock.Groups[4]) : (int?)null;
            return Speak(Int(clock.Groups[1]), Int(clock.Groups[2]), seconds, Meridiem(clock.Groups[6]));
        }

        var hour = HourOnly.Match(text);
        return hour.Success && hour.Length == text.Length ? Speak(Int(hour.Groups[1]), 0, null, Meridiem(hour.Groups[2])) : null;
    }

    private static int Int(Group group) => int.Parse(group.ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture);

    private static char? Meridiem(Group group) => group.Success ? char.ToLowerInvariant(group.Value[0]) : null;
}
