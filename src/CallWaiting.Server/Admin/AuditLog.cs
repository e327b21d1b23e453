using CallWaiting.Server.Storage;
using Dapper;

namespace CallWaiting.Server.Admin;

/// <summary>Reads and appends the <c>audit_log</c> table.</summary>
public sealed class AuditLog(IDbConnectionFactory db)
{
    /// <summary>Most entries one listing returns.</summary>
    public const int MaxPage = 500;

    /// <summary>Appends one entry.</summary>
    public async Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        await using var connection = await db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO audit_log (at, api_key_id, tenant_id, action, target, details, ip)
            VALUES (@At, @ApiKeyId, @TenantId, @Action, @Target, @Details, @Ip)
            """,
            new { entry.At, entry.ApiKeyId, entry.TenantId, entry.Action, entry.Target, entry.Details, entry.Ip },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>
    /// Entries newest first: all of them, or those of one tenant; at most <paramref name="limit"/>, older than the
    /// entry <paramref name="before"/> when given (the cursor of the next page).
    /// </summary>
    public async Task<IReadOnlyList<AuditEntry>> ListAsync(Guid? tenantId, int limit, long? before, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var where = (tenantId is null ? "1 = 1" : "tenant_id = @TenantId") + (before is null ? "" : " AND id < @Before");
        var rows = await connection.QueryAsync<AuditRow>(new CommandDefinition(
            $"""
            SELECT id AS Id, at AS At, api_key_id AS ApiKeyId, tenant_id AS TenantId, action AS Action, target AS Target,
                   details AS Details, ip AS Ip
            FROM audit_log WHERE {where} ORDER BY id DESC LIMIT @Limit
            """,
            new { TenantId = tenantId ?? Guid.Empty, Before = before ?? 0, Limit = Math.Clamp(limit, 1, MaxPage) },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.Select(row => new AuditEntry(row.Id, row.At, row.ApiKeyId, row.TenantId, row.Action, row.Target, row.Details, row.Ip)).ToList();
    }

    private sealed class AuditRow
    {
        public long Id { get; set; }

        public DateTimeOffset At { get; set; }

        public Guid? ApiKeyId { get; set; }

        public Guid? TenantId { get; set; }

        public string Action { get; set; } = "";

        public string Target { get; set; } = "";

        public string Details { get; set; } = "{}";

        public string? Ip { get; set; }
    }
}
