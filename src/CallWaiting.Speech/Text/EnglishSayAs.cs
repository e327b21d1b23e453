using System.Globalization;

namespace CallWaiting.Speech.Text;

/// <summary>English readings for SSML &lt;say-as&gt;; each returns null when the content does not fit, so the caller can fall back to plain normalization.</summary>
internal static class EnglishSayAs
{
    /// <summary>Speaks <paramref name="text"/> as <paramref name="sayAs"/> asks, or null when it cannot be read that way.</summary>
    public static string? Speak(string text, SayAs sayAs, bool dayFirst)
    {
        var value = text.AsSpan().Trim();
        return sayAs.Interpretation switch
        {
            SayAsInterpretation.Characters => Spelling.SpellEnglish(value),
            SayAsInterpretation.Digits => Digits(value),
            SayAsInterpretation.Cardinal => Cardinal(value),
            SayAsInterpretation.Ordinal => Ordinal(value),
            SayAsInterpretation.Telephone => value.ContainsAnyInRange('0', '9') ? PhoneRules.Speak(value) : null,
            SayAsInterpretation.Date => Date(value, sayAs.Format, dayFirst),
            SayAsInterpretation.Time => TimeRules.Speak(value),
            SayAsInterpretation.Currency => CurrencyRules.Speak(value),
            _ => null,
        };
    }

    private static string? Digits(ReadOnlySpan<char> value)
    {
        Span<char> digits = value.Length <= 256 ? stackalloc char[value.Length] : new char[value.Length];
        var count = 0;
        foreach (var c in value)
        {
            if (char.IsAsciiDigit(c))
            {
                digits[count++] = c;
            }
        }

        return count == 0 ? null : NumberWords.DigitByDigit(digits[..count], groupSize: 0);
    }

    private static string? Cardinal(ReadOnlySpan<char> value)
    {
        var negative = value.StartsWith('-') || value.StartsWith('−');
        var body = negative ? value[1..] : value;
        var dot = body.IndexOf('.');
        var integer = dot >= 0 ? body[..dot] : body;
        var fraction = dot >= 0 ? body[(dot + 1)..] : [];
        if (integer.IsEmpty && fraction.IsEmpty
            || integer.ContainsAnyExcept("0123456789,") || fraction.ContainsAnyExceptInRange('0', '9'))
        {
            return null;
        }

        var digits = integer.ToString().Replace(",", string.Empty, StringComparison.Ordinal);
        var words = fraction.IsEmpty ? NumberWords.Cardinal(digits) : NumberWords.Decimal(digits, fraction);
        return negative ? "minus " + words : words;
    }

    private static string? Ordinal(ReadOnlySpan<char> value)
    {
        var digits = value.TrimEnd("stndrh").ToString().Replace(",", string.Empty, StringComparison.Ordinal);
        if (digits.Length is 0 or > NumberWords.MaxCardinalDigits || digits.AsSpan().ContainsAnyExceptInRange('0', '9'))
        {
            return null;
        }

        return NumberWords.Ordinal(long.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture));
    }

    private static string? Date(ReadOnlySpan<char> value, string? format, bool dayFirst)
    {
        var order = format?.ToLowerInvariant() switch
        {
            "mdy" or "dmy" or "ymd" or "md" or "dm" or "ym" or "my" => format.ToLowerInvariant(),
            _ => null,
        };
        if (order is not null)
        {
            return DateRules.Speak(value, order, dayFirst);
        }

        // No format: the locale's order, then ISO.
        return DateRules.Speak(value, dayFirst ? "dmy" : "mdy", dayFirst) ?? DateRules.Speak(value, "ymd", dayFirst);
    }
}
