namespace CallWaiting.Server.Storage;

/// <summary>A <c>request_logs</c> row as read back: the entry and its row id, which orders rows that arrived in the same microsecond.</summary>
/// <param name="Id">The row id.</param>
/// <param name="Entry">What the request did.</param>
public sealed record StoredRequestLog(long Id, RequestLogEntry Entry);
