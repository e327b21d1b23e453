using System.Text;

namespace CallWaiting.Speech.Text;

/// <summary>English number words: cardinals, ordinals, years, decimals and digit-by-digit reading.</summary>
internal static class NumberWords
{
    /// <summary>Digit strings longer than this are read digit by digit: no one says "seven quintillion...".</summary>
    public const int MaxCardinalDigits = 15;

    private static readonly string[] Ones =
    [
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
        "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
    ];

    private static readonly string[] Tens = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"];

    private static readonly string[] Scales = ["", "thousand", "million", "billion", "trillion", "quadrillion", "quintillion"];

    /// <summary>The word for one digit character.</summary>
    public static string Digit(char c) => Ones[c - '0'];

    /// <summary>A cardinal number: 1234 → "one thousand two hundred thirty-four".</summary>
    public static string Cardinal(long n)
    {
        if (n == 0)
        {
            return Ones[0];
        }

        var sb = new StringBuilder();
        if (n < 0)
        {
            sb.Append("minus ");
        }

        // Work on the magnitude as unsigned so long.MinValue has no overflow.
        var magnitude = n < 0 ? (ulong)(-(n + 1)) + 1 : (ulong)n;
        Span<int> groups = stackalloc int[7];
        var count = 0;
        for (; magnitude > 0; magnitude /= 1000)
        {
            groups[count++] = (int)(magnitude % 1000);
        }

        var first = true;
        for (var g = count - 1; g >= 0; g--)
        {
            if (groups[g] == 0)
            {
                continue;
            }

            if (!first)
            {
                sb.Append(' ');
            }

            AppendUnderThousand(sb, groups[g]);
            if (g > 0)
            {
                sb.Append(' ').Append(Scales[g]);
            }

            first = false;
        }

        return sb.ToString();
    }

    /// <summary>A digit string as a cardinal, or digit by digit when it is too long or starts with zero.</summary>
    public static string Cardinal(ReadOnlySpan<char> digits)
    {
        if (digits.Length > MaxCardinalDigits || (digits.Length > 1 && digits[0] == '0'))
        {
            return DigitByDigit(digits);
        }

        return Cardinal(long.Parse(digits, provider: System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>An ordinal number: 21 → "twenty-first".</summary>
    public static string Ordinal(long n)
    {
        var cardinal = Cardinal(n);
        var cut = Math.Max(cardinal.LastIndexOf(' '), cardinal.LastIndexOf('-')) + 1;
        var last = cardinal[cut..];
        var ordinal = last switch
        {
            "one" => "first",
            "two" => "second",
            "three" => "third",
            "five" => "fifth",
            "eight" => "eighth",
            "nine" => "ninth",
            "twelve" => "twelfth",
            _ when last.EndsWith('y') => last[..^1] + "ieth",
            _ => last + "th",
        };
        return cardinal[..cut] + ordinal;
    }

    /// <summary>A year as people say it: 1999 → "nineteen ninety-nine", 2005 → "two thousand five", 2025 → "twenty twenty-five".</summary>
    public static string Year(int year)
    {
        // 1000-1009, 2000-2009 and other years this side of a new millennium read as plain cardinals.
        if (year is < 1000 or > 9999 || year % 1000 < 10)
        {
            return Cardinal(year);
        }

        var high = Cardinal(year / 100);
        var low = year % 100;
        return low switch
        {
            0 => high + " hundred",
            < 10 => high + " oh " + Ones[low],
            _ => high + " " + Cardinal(low),
        };
    }

    /// <summary>A decimal number from its integer and fraction digits: ("3", "14") → "three point one four".</summary>
    public static string Decimal(ReadOnlySpan<char> integer, ReadOnlySpan<char> fraction)
    {
        var head = integer.IsEmpty ? string.Empty : Cardinal(integer) + " ";
        return head + "point " + DigitByDigit(fraction, groupSize: 0);
    }

    /// <summary>
    /// Digits read one by one; with <paramref name="groupSize"/> above zero, a comma after every group so long runs
    /// come out in breathable pieces.
    /// </summary>
    public static string DigitByDigit(ReadOnlySpan<char> digits, int groupSize = 4)
    {
        var sb = new StringBuilder(digits.Length * 6);
        for (var i = 0; i < digits.Length; i++)
        {
            if (i > 0)
            {
                sb.Append(groupSize > 0 && i % groupSize == 0 ? ", " : " ");
            }

            sb.Append(Ones[digits[i] - '0']);
        }

        return sb.ToString();
    }

    private static void AppendUnderThousand(StringBuilder sb, int n)
    {
        if (n >= 100)
        {
            sb.Append(Ones[n / 100]).Append(" hundred");
            n %= 100;
            if (n == 0)
            {
                return;
            }

            sb.Append(' ');
        }

        if (n < 20)
        {
            sb.Append(Ones[n]);
            return;
        }

        sb.Append(Tens[n / 10]);
        if (n % 10 != 0)
        {
            sb.Append('-').Append(Ones[n % 10]);
        }
    }
}
