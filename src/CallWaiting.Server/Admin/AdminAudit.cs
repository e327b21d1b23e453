using System.Text.Json;
using CallWaiting.Server.Auth;
using CallWaiting.Server.Storage;
using Microsoft.AspNetCore.Http;

namespace CallWaiting.Server.Admin;

/// <summary>Writes the audit entry of each change an admin endpoint makes: who, which tenant, what, from where, when.</summary>
public sealed class AdminAudit(AuditLog log, TimeProvider time)
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>
    /// Records <paramref name="action"/> on <paramref name="target"/> of <paramref name="tenantId"/> by the request's caller;
    /// <paramref name="details"/> (an object, serialized snake_case) says what changed and never holds a key's secret.
    /// </summary>
    public Task RecordAsync(HttpContext context, string action, Guid tenantId, Guid target, object details)
    {
        ArgumentNullException.ThrowIfNull(context);
        var entry = new AuditEntry(0, StorageTime.UtcNow(time), ApiCaller.Of(context).Key.Id, tenantId, action, target.ToString(),
            JsonSerializer.Serialize(details, Json), ClientAddress.Of(context));
        // The change is made: its record is written even if the client has gone meanwhile.
        return log.AppendAsync(entry, CancellationToken.None);
    }
}
