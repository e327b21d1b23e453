namespace CallWaiting.Server.Storage;

/// <summary>A search of <c>request_logs</c>, newest first: every given condition must hold.</summary>
/// <param name="Limit">Most rows to return.</param>
/// <param name="RequestId">Exactly this X-Request-ID.</param>
/// <param name="TenantId">Only this tenant's requests.</param>
/// <param name="ApiKeyId">Only this key's requests.</param>
/// <param name="StatusMin">Lowest status included.</param>
/// <param name="StatusMax">Highest status included.</param>
/// <param name="From">Arrived at or after.</param>
/// <param name="To">Arrived before.</param>
/// <param name="Before">Only rows after this one in newest-first order (the previous page's last row): its arrival and row id.</param>
public sealed record RequestLogFilter(
    int Limit,
    string? RequestId = null,
    Guid? TenantId = null,
    Guid? ApiKeyId = null,
    int? StatusMin = null,
    int? StatusMax = null,
    DateTimeOffset? From = null,
    DateTimeOffset? To = null,
    (DateTimeOffset CreatedAt, long Id)? Before = null);
