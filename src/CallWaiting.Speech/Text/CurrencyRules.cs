using System.Globalization;
using System.Text.RegularExpressions;

namespace CallWaiting.Speech.Text;

/// <summary>
/// English money: "$42.50" → "forty-two dollars and fifty cents", "$1" → "one dollar", "$5M" → "five million
/// dollars", "£3.20", "€10", "50¢".
/// </summary>
internal static class CurrencyRules
{
    private sealed record Currency(string One, string Many, string? MinorOne, string? MinorMany);

    private static readonly Dictionary<char, Currency> Currencies = new()
    {
        ['$'] = new("dollar", "dollars", "cent", "cents"),
        ['£'] = new("pound", "pounds", "penny", "pence"),
        ['€'] = new("euro", "euros", "cent", "cents"),
        ['¥'] = new("yen", "yen", null, null),
        ['₹'] = new("rupee", "rupees", "paisa", "paise"),
    };

    private static readonly Regex Amount = TextPatterns.Create(
        @"([\-−])?([$£€¥₹]) ?([0-9]{1,3}(,[0-9]{3})+|[0-9]+)(\.([0-9]+))?( ?(thousand|million|billion|trillion|bn|[KkMB])\b)?");

    private static readonly Regex Cents = TextPatterns.Create(@"\b([0-9]+) ?¢");

    /// <summary>Replaces amounts of money in <paramref name="text"/> with their spoken form.</summary>
    public static string Apply(string text)
    {
        text = Amount.Replace(text, m =>
        {
            var minus = m.Groups[1].Success;
            if (minus && !TextPatterns.SignPosition(text, m.Index))
            {
                return m.Value[..1] + Speak(m.Groups[2].Value[0], m.Groups[3].Value, m.Groups[6].Value, m.Groups[8].Value);
            }

            var words = Speak(m.Groups[2].Value[0], m.Groups[3].Value, m.Groups[6].Value, m.Groups[8].Value);
            return (minus ? "minus " : string.Empty) + words;
        });
        return Cents.Replace(text, m => NumberWords.Cardinal(m.Groups[1].ValueSpan) + (m.Groups[1].Value == "1" ? " cent" : " cents"));
    }

    /// <summary>Parses an amount such as "$42.50" or "€1,200" and speaks it; null when it is not one.</summary>
    public static string? Speak(ReadOnlySpan<char> money)
    {
        var m = Amount.Match(money.Trim().ToString());
        if (!m.Success || m.Length != money.Trim().Length)
        {
            return null;
        }

        var words = Speak(m.Groups[2].Value[0], m.Groups[3].Value, m.Groups[6].Value, m.Groups[8].Value);
        return m.Groups[1].Success ? "minus " + words : words;
    }

    /// <summary>Speaks an amount from its currency symbol, integer digits (may have thousands commas), fraction and scale.</summary>
    private static string Speak(char symbol, string integer, string fraction, string scale)
    {
        var currency = Currencies[symbol];
        var digits = integer.Replace(",", string.Empty, StringComparison.Ordinal);
        if (scale.Length > 0)
        {
            var amount = fraction.Length > 0 ? NumberWords.Decimal(digits, fraction) : NumberWords.Cardinal(digits);
            return amount + " " + ScaleWord(scale) + " " + currency.Many;
        }

        var whole = fraction.Length > 0 && fraction.AsSpan().ContainsAnyExcept('0') ? fraction : string.Empty;
        if (whole.Length > 2 || (whole.Length > 0 && currency.MinorMany is null))
        {
            return NumberWords.Decimal(digits, fraction) + " " + currency.Many;
        }

        var noMajor = digits.AsSpan().TrimStart('0').IsEmpty;
        var majorWords = NumberWords.Cardinal(digits) + " " + (digits == "1" ? currency.One : currency.Many);
        if (whole.Length == 0)
        {
            return majorWords;
        }

        var minor = int.Parse(whole.PadRight(2, '0'), CultureInfo.InvariantCulture);
        var minorWords = NumberWords.Cardinal(minor) + " " + (minor == 1 ? currency.MinorOne : currency.MinorMany);
        return noMajor ? minorWords : majorWords + " and " + minorWords;
    }

    private static string ScaleWord(string scale) => scale switch
    {
        "K" or "k" => "thousand",
        "M" => "million",
        "B" or "bn" => "billion",
        _ => scale,
    };
}
