using System.Globalization;

namespace CallWaiting.Server.Storage;

/// <summary>
/// The TEXT encodings SQLite columns use. Timestamps are fixed-width UTC with seven fractional digits so
/// that string order equals time order (the schema's defaults produce the same width).
/// </summary>
public static class SqliteText
{
    /// <summary>Format of every stored timestamp, e.g. 2025-01-31T23:59:59.1234567Z.</summary>
    public const string TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    /// <summary>Format of stored calendar days, e.g. 2025-01-31.</summary>
    public const string DateFormat = "yyyy-MM-dd";

    /// <summary>Formats an instant as stored text (always UTC).</summary>
    public static string FormatTimestamp(DateTimeOffset value) =>
        value.UtcDateTime.ToString(TimestampFormat, CultureInfo.InvariantCulture);

    /// <summary>Parses stored timestamp text; text without an offset is taken as UTC.</summary>
    public static DateTimeOffset ParseTimestamp(string text) =>
        DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal).ToUniversalTime();

    /// <summary>Formats a calendar day as stored text.</summary>
    public static string FormatDate(DateOnly value) => value.ToString(DateFormat, CultureInfo.InvariantCulture);

    /// <summary>Parses stored calendar-day text.</summary>
    public static DateOnly ParseDate(string text) => DateOnly.ParseExact(text, DateFormat, CultureInfo.InvariantCulture);
}
