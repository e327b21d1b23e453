namespace CallWaiting.Server.Admin;

/// <summary>One change made through the admin API, as <c>audit_log</c> keeps it and GET /v1/admin/audit lists it.</summary>
/// <param name="Id">Position in the log (assigned by the database; 0 before the row is stored).</param>
/// <param name="At">When the change was made.</param>
/// <param name="ApiKeyId">The key that made it (a header key or a web session's).</param>
/// <param name="TenantId">The tenant it concerns.</param>
/// <param name="Action">What was done, e.g. "tenant.create", "key.revoke".</param>
/// <param name="Target">The id of what it was done to.</param>
/// <param name="Details">What changed, as a JSON object (never a key's secret).</param>
/// <param name="Ip">The client address.</param>
public sealed record AuditEntry(long Id, DateTimeOffset At, Guid? ApiKeyId, Guid? TenantId, string Action, string Target, string Details, string? Ip);
