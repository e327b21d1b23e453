using System.Globalization;
using CallWaiting.Server.Hosting;
using Microsoft.AspNetCore.Http;

namespace CallWaiting.Server.Admin;

/// <summary>
/// Reads an admin endpoint's query string strictly: each name at most once, each value parsed or refused with a 400
/// (<see cref="Refuse"/>). An empty value counts as absent, as a page's empty select sends it.
/// </summary>
/// <param name="query">The request's query string.</param>
public sealed class AdminQueryReader(IQueryCollection query)
{
    /// <summary>The 400 for a query parameter that cannot be used: its stable code and what is accepted.</summary>
    public static ApiRequestException Refuse(string code, string message) => new(StatusCodes.Status400BadRequest, code, message);

    /// <summary>The raw value, or null when absent or empty.</summary>
    public string? Text(string name)
    {
        var values = query[name];
        if (values.Count > 1) throw Refuse("invalid_" + name, $"Query parameter '{name}' may be given only once.");
        return values.Count == 0 || string.IsNullOrEmpty(values[0]) ? null : values[0];
    }

    /// <summary>A UUID, or null when absent.</summary>
    public Guid? Guid(string name) => Text(name) is not { } text ? null
        : System.Guid.TryParseExact(text, "D", out var id) ? id
        : throw Refuse("invalid_" + name, $"Query parameter '{name}' must be a UUID such as 7f0f8a71-2821-48a7-85c5-9a874eadf2d3.");

    /// <summary>An integer within [<paramref name="min"/>, <paramref name="max"/>], or null when absent.</summary>
    public int? Integer(string name, int min, int max) => Text(name) is not { } text ? null
        : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max ? value
        : throw Refuse("invalid_" + name, $"Query parameter '{name}' must be an integer from {min} to {max}.");

    /// <summary>A calendar day written YYYY-MM-DD, or null when absent.</summary>
    public DateOnly? Date(string name) => Text(name) is not { } text ? null
        : DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? day
        : throw Refuse("invalid_date", $"Query parameter '{name}' must be a date written YYYY-MM-DD.");

    /// <summary>
    /// An instant: ISO-8601 with an offset (2026-12-06T21:30:00Z), or a day (YYYY-MM-DD) meaning its start, or with
    /// <paramref name="dayEnds"/> its end (the next day's start), so <c>to=2026-12-06</c> includes that whole day.
    /// </summary>
    public DateTimeOffset? Instant(string name, bool dayEnds)
    {
        if (Text(name) is not { } text) return null;
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            var start = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            return dayEnds ? start.AddDays(1) : start;
        }

        // An offset is required: a time without one would mean the server's zone, which the caller cannot see.
        return text.Length > 10 && (text.EndsWith('Z') || text[^6] is '+' or '-')
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var instant)
            ? instant.ToUniversalTime()
            : throw Refuse("invalid_date", $"Query parameter '{name}' must be a date (YYYY-MM-DD) or an ISO-8601 time with an offset (2026-12-06T21:30:00Z).");
    }
}
