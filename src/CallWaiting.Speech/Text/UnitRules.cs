using System.Text.RegularExpressions;

namespace CallWaiting.Speech.Text;

/// <summary>English measurements and percentages after a number: "5 km", "10kg", "72°F", "100 mph", "3.5%".</summary>
internal static class UnitRules
{
    // Symbols that are ambiguous on their own ("m": metres, minutes or million; "in"; "s") are left out on purpose.
    private static readonly Dictionary<string, (string One, string Many)> Units = new(StringComparer.Ordinal)
    {
        ["%"] = ("percent", "percent"),
        ["°F"] = ("degree Fahrenheit", "degrees Fahrenheit"),
        ["°C"] = ("degree Celsius", "degrees Celsius"),
        ["°"] = ("degree", "degrees"),
        ["km/h"] = ("kilometer per hour", "kilometers per hour"),
        ["kph"] = ("kilometer per hour", "kilometers per hour"),
        ["mph"] = ("mile per hour", "miles per hour"),
        ["km"] = ("kilometer", "kilometers"),
        ["cm"] = ("centimeter", "centimeters"),
        ["mm"] = ("millimeter", "millimeters"),
        ["mi"] = ("mile", "miles"),
        ["ft"] = ("foot", "feet"),
        ["yd"] = ("yard", "yards"),
        ["kg"] = ("kilogram", "kilograms"),
        ["mg"] = ("milligram", "milligrams"),
        ["g"] = ("gram", "grams"),
        ["lb"] = ("pound", "pounds"),
        ["lbs"] = ("pound", "pounds"),
        ["oz"] = ("ounce", "ounces"),
        ["ml"] = ("milliliter", "milliliters"),
        ["mL"] = ("milliliter", "milliliters"),
        ["L"] = ("liter", "liters"),
        ["TB"] = ("terabyte", "terabytes"),
        ["GB"] = ("gigabyte", "gigabytes"),
        ["MB"] = ("megabyte", "megabytes"),
        ["KB"] = ("kilobyte", "kilobytes"),
        ["kB"] = ("kilobyte", "kilobytes"),
        ["ms"] = ("millisecond", "milliseconds"),
        ["sec"] = ("second", "seconds"),
        ["min"] = ("minute", "minutes"),
        ["hr"] = ("hour", "hours"),
        ["hrs"] = ("hour", "hours"),
        ["kWh"] = ("kilowatt hour", "kilowatt hours"),
        ["kW"] = ("kilowatt", "kilowatts"),
        ["W"] = ("watt", "watts"),
        ["V"] = ("volt", "volts"),
        ["mAh"] = ("milliamp hour", "milliamp hours"),
        ["Hz"] = ("hertz", "hertz"),
        ["kHz"] = ("kilohertz", "kilohertz"),
        ["MHz"] = ("megahertz", "megahertz"),
        ["GHz"] = ("gigahertz", "gigahertz"),
    };

    private static readonly Regex Measure = TextPatterns.Create(
        @"([\-−])?([0-9]{1,3}(,[0-9]{3})+|[0-9]+)(\.([0-9]+))? ?(" + Alternation() + ")");

    /// <summary>Replaces measurements in <paramref name="text"/> with their spoken form.</summary>
    public static string Apply(string text) => Measure.Replace(text, m =>
    {
        var unit = m.Groups[6].Value;
        var end = m.Index + m.Length;
        if (char.IsAsciiLetter(unit[^1]) && TextPatterns.AlnumAt(text, end) || TextPatterns.AlnumBefore(text, m.Index))
        {
            return m.Value; // "5 kmh", "A5%": not this unit, or part of a longer token
        }

        if (unit.Length == 1 && char.IsAsciiLetter(unit[0]) && m.Value[^2] == ' ')
        {
            return m.Value; // "5 W Main Street": a lone letter after a space is rarely a unit; "60W" is
        }

        var integer = m.Groups[2].Value.Replace(",", string.Empty, StringComparison.Ordinal);
        var fraction = m.Groups[5].Value;
        var number = fraction.Length > 0 ? NumberWords.Decimal(integer, fraction) : NumberWords.Cardinal(integer);
        var (one, many) = Units[unit];
        var words = number + " " + (integer == "1" && fraction.Length == 0 ? one : many);
        if (!m.Groups[1].Success)
        {
            return words;
        }

        return TextPatterns.SignPosition(text, m.Index) ? "minus " + words : m.Groups[1].Value + words;
    });

    // Longest symbols first, so "km/h" wins over "km" and "mAh" over "m".
    private static string Alternation() =>
        string.Join('|', Units.Keys.OrderByDescending(k => k.Length).Select(Regex.Escape));
}
