using System.Globalization;
using System.Text.RegularExpressions;

namespace CallWaiting.Speech.Text;

/// <summary>
/// English dates: numeric (12/03/2025, in the locale's order), ISO (2025-12-03) and written ("Dec 3, 2025",
/// "3rd of December"). Month-first locales say "December third, twenty twenty-five"; day-first ones say
/// "the third of December, twenty twenty-five".
/// </summary>
internal static class DateRules
{
    private const string MonthNames =
        "January|Jan|February|Feb|March|Mar|April|Apr|May|June|Jun|July|Jul|August|Aug|September|Sept|Sep|October|Oct|November|Nov|December|Dec";

    private static readonly string[] Months =
    [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December",
    ];

    private static readonly Regex Numeric = TextPatterns.Create(
        @"\b([0-9]{4}-[0-9]{1,2}-[0-9]{1,2}|[0-9]{4}/[0-9]{1,2}/[0-9]{1,2}|[0-9]{1,2}/[0-9]{1,2}/([0-9]{4}|[0-9]{2})|[0-9]{1,2}-[0-9]{1,2}-[0-9]{4}|[0-9]{1,2}\.[0-9]{1,2}\.[0-9]{4})\b");

    private static readonly Regex MonthFirst = TextPatterns.Create(
        @"\b(" + MonthNames + @")\.? ([0-9]{1,2})(st|nd|rd|th)?\b(,? ([0-9]{4})\b)?");

    private static readonly Regex DayFirst = TextPatterns.Create(
        @"\b([0-9]{1,2})(st|nd|rd|th)? (of )?(" + MonthNames + @")\b\.?(,? ([0-9]{4})\b)?");

    /// <summary>Replaces dates in <paramref name="text"/> with their spoken form.</summary>
    public static string Apply(string text, bool dayFirst)
    {
        text = Numeric.Replace(text, m => SpeakNumeric(text, m, dayFirst));
        text = MonthFirst.Replace(text, m => SpeakWritten(m.Groups[2].Value, m.Groups[1].Value, m.Groups[5].Value, dayFirst) ?? m.Value);
        return DayFirst.Replace(text, m =>
        {
            var words = SpeakWritten(m.Groups[1].Value, m.Groups[4].Value, m.Groups[6].Value, dayFirst);
            if (words is null)
            {
                return m.Value;
            }

            // "on 1 May." : the period after a month with no year also ends the sentence.
            var endsWithPeriod = !m.Groups[5].Success && m.Value.EndsWith('.');
            return endsWithPeriod && TextPatterns.PeriodEndsSentence(text, m.Index + m.Length) ? words + "." : words;
        });
    }

    /// <summary>
    /// Speaks a numeric date whose part order is given as "mdy", "dmy" or "ymd"; null when the parts do not make a
    /// valid date in that order.
    /// </summary>
    public static string? Speak(ReadOnlySpan<char> date, string order, bool dayFirst)
    {
        Span<Range> parts = stackalloc Range[4];
        var count = date.SplitAny(parts, "/-. ", StringSplitOptions.RemoveEmptyEntries);
        if (count != order.Length)
        {
            return null;
        }

        int year = 0, month = 0, day = 0;
        for (var k = 0; k < count; k++)
        {
            var part = date[parts[k]];
            if (part.Length > 4 || !int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                return null;
            }

            switch (order[k])
            {
                case 'y': year = part.Length == 2 ? value + (value < 50 ? 2000 : 1900) : value; break;
                case 'm': month = value; break;
                default: day = value; break;
            }
        }

        var hasYear = order.Contains('y');
        if (!order.Contains('d'))
        {
            // "12/2025" as month and year: "December twenty twenty-five".
            return month is >= 1 and <= 12 && year is >= 1 and <= 9999 ? Months[month - 1] + " " + NumberWords.Year(year) : null;
        }

        return IsValid(year, month, day, hasYear) ? Words(month, day, hasYear ? year : null, dayFirst) : null;
    }

    /// <summary>The spoken date: "December third, twenty twenty-five" or "the third of December, twenty twenty-five".</summary>
    public static string Words(int month, int day, int? year, bool dayFirst)
    {
        var name = Months[month - 1];
        var date = dayFirst ? "the " + NumberWords.Ordinal(day) + " of " + name : name + " " + NumberWords.Ordinal(day);
        return year is { } y ? date + ", " + NumberWords.Year(y) : date;
    }

    private static string SpeakNumeric(string text, Match m, bool dayFirst)
    {
        // "1.2.2025" glued to more digits or dots is a version number or an IP address, not a date.
        var end = m.Index + m.Length;
        if (end < text.Length && text[end] is '.' or '/' or '-' && TextPatterns.AlnumAt(text, end + 1))
        {
            return m.Value;
        }

        var value = m.Value.AsSpan();
        var isoLike = value.Length > 4 && char.IsAsciiDigit(value[3]) && char.IsAsciiDigit(value[2]) && !char.IsAsciiDigit(value[4]);
        if (isoLike)
        {
            return Speak(value, "ymd", dayFirst) ?? m.Value;
        }

        // The locale's order first; if that is impossible (month 25), the other order can still make sense of it.
        var preferred = dayFirst ? "dmy" : "mdy";
        var other = dayFirst ? "mdy" : "dmy";
        return Speak(value, preferred, dayFirst) ?? Speak(value, other, dayFirst) ?? m.Value;
    }

    private static string? SpeakWritten(string dayText, string monthText, string yearText, bool dayFirst)
    {
        var month = MonthIndex(monthText);
        var day = int.Parse(dayText, CultureInfo.InvariantCulture);
        int? year = yearText.Length > 0 ? int.Parse(yearText, CultureInfo.InvariantCulture) : null;
        return IsValid(year ?? 2000, month, day, true) ? Words(month, day, year, dayFirst) : null;
    }

    private static int MonthIndex(string name)
    {
        for (var i = 0; i < Months.Length; i++)
        {
            if (Months[i].StartsWith(name[..3], StringComparison.Ordinal))
            {
                return i + 1;
            }
        }

        return 0;
    }

    private static bool IsValid(int year, int month, int day, bool hasYear) =>
        month is >= 1 and <= 12 && day >= 1 && (!hasYear || year is >= 1 and <= 9999)
        && day <= DateTime.DaysInMonth(hasYear ? year : 2000, month);
}
