using CallWaiting.Server.Storage;

namespace CallWaiting.Server.Admin;

/// <summary>Reads GET /v1/admin/requests' query into a <see cref="RequestLogFilter"/>, refusing what it cannot use with a 400.</summary>
public static class RequestLogSearch
{
    /// <summary>Rows per page unless <c>limit</c> says otherwise.</summary>
    public const int DefaultLimit = 50;

    /// <summary>The largest page.</summary>
    public const int MaxLimit = 200;

    // Request ids are stored cut at 256 characters; a longer one cannot match.
    private const int MaxRequestIdLength = 256;

    /// <summary>
    /// request_id, tenant_id, api_key_id, status (a code such as 404, a class such as 5xx, or "error" for 400 and above),
    /// from and to (a day or an ISO-8601 time; to is exclusive, a day includes itself; at most 90 days apart), limit
    /// (1–200, default 50) and before (a cursor).
    /// </summary>
    public static RequestLogFilter Read(AdminQueryReader query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var requestId = query.Text("request_id");
        if (requestId is { Length: > MaxRequestIdLength })
            throw AdminQueryReader.Refuse("invalid_request_id", $"Query parameter 'request_id' is at most {MaxRequestIdLength} characters.");
        var (statusMin, statusMax) = Status(query.Text("status"));
        var from = query.Instant("from", dayEnds: false);
        var to = query.Instant("to", dayEnds: true);
        if (from > to) throw AdminQueryReader.Refuse("invalid_range", "'from' is after 'to'.");
        if (to - from > TimeSpan.FromDays(UsageReportQuery.MaxDays))
            throw AdminQueryReader.Refuse("range_too_long", $"A range covers at most {UsageReportQuery.MaxDays} days.");
        var before = query.Text("before") is { } cursor ? RequestLogCursor.Decode(cursor) : ((DateTimeOffset, long)?)null;
        return new RequestLogFilter(query.Integer("limit", 1, MaxLimit) ?? DefaultLimit, requestId, query.Guid("tenant_id"), query.Guid("api_key_id"),
            statusMin, statusMax, from, to, before);
    }

    private static (int? Min, int? Max) Status(string? status) => status switch
    {
        null => (null, null),
        "error" => (400, 599),
        ['1' or '2' or '3' or '4' or '5', 'x' or 'X', 'x' or 'X'] => ((status[0] - '0') * 100, (status[0] - '0') * 100 + 99),
        _ when int.TryParse(status, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var code) && code is >= 100 and <= 599 => (code, code),
        _ => throw AdminQueryReader.Refuse("invalid_status", "Query parameter 'status' must be a status code (404), a class (4xx) or error."),
    };
}
