using System.Text;
using System.Text.RegularExpressions;

namespace CallWaiting.Speech.Text;

/// <summary>
/// English reading of telephone numbers: digit by digit, a comma (a short pause) between groups, as people read
/// them out: "(415) 555-0199" → "four one five, five five five, zero one nine nine".
/// </summary>
internal static class PhoneRules
{
    private static readonly Regex Phone = TextPatterns.Create(
        @"\+[0-9]{1,3}([ .\-]?\(?[0-9]{1,4}\)?){2,5}" // international: +1 415 555 0199, +44 20 7946 0958
        + @"|(1[ .\-])?(\([0-9]{3}\) ?|[0-9]{3}[ .\-])[0-9]{3}[ .\-][0-9]{4}" // North American with area code
        + @"|[0-9]{3}-[0-9]{4}"); // local: 555-0199

    /// <summary>Replaces telephone numbers in <paramref name="text"/> with their spoken form.</summary>
    public static string Apply(string text) => Phone.Replace(text, m =>
    {
        // A digit or letter glued to either side means this is part of something else (a serial, a range of years).
        var before = m.Index > 0 ? text[m.Index - 1] : ' ';
        if (char.IsLetterOrDigit(before) || before is '-' or '.' or '/' || TextPatterns.AlnumAt(text, m.Index + m.Length))
        {
            return m.Value;
        }

        var end = m.Index + m.Length;
        if (end + 1 < text.Length && text[end] is '-' or '.' && char.IsAsciiDigit(text[end + 1]))
        {
            return m.Value;
        }

        return Speak(m.Value);
    });

    /// <summary>Reads any string of digit groups as a phone number ("+1 (415) 555-0199").</summary>
    public static string Speak(ReadOnlySpan<char> number)
    {
        var sb = new StringBuilder(number.Length * 6);
        var trimmed = number.Trim();
        if (trimmed.StartsWith('+'))
        {
            sb.Append("plus ");
        }

        if (IsUngroupedNorthAmerican(trimmed))
        {
            // "+14155550199": say it as 1, 415, 555, 0199 like the written form would be.
            var digits = trimmed[1..];
            return sb.Append("one, ").Append(NumberWords.DigitByDigit(digits[1..4], 0)).Append(", ")
                .Append(NumberWords.DigitByDigit(digits[4..7], 0)).Append(", ")
                .Append(NumberWords.DigitByDigit(digits[7..], 0)).ToString();
        }

        var i = 0;
        var first = true;
        while (i < trimmed.Length)
        {
            if (!char.IsAsciiDigit(trimmed[i]))
            {
                i++;
                continue;
            }

            var j = i;
            while (j < trimmed.Length && char.IsAsciiDigit(trimmed[j]))
            {
                j++;
            }

            if (!first)
            {
                sb.Append(", ");
            }

            sb.Append(NumberWords.DigitByDigit(trimmed[i..j], groupSize: 0));
            first = false;
            i = j;
        }

        return sb.ToString();
    }

    private static bool IsUngroupedNorthAmerican(ReadOnlySpan<char> number) =>
        number.Length == 12 && number[0] == '+' && number[1] == '1' && !number[1..].ContainsAnyExceptInRange('0', '9');
}
