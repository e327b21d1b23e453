using System.Data.Common;
using CallWaiting.Server.Storage;
using Dapper;

namespace CallWaiting.Server.Revocation;

/// <summary>
/// The <c>key_changes</c> table: every API-key or tenant status change appends a row in the transaction that makes
/// it, and every server reads the rows above the last id it saw (<see cref="KeyChangePoller"/>). It needs nothing
/// but the database, so it reaches servers beside a CLI on SQLite and PostgreSQL replicas without Redis alike.
/// </summary>
public static class KeyChangeLog
{
    // Arbitrary constant shared by every CallWaiting process: "CWKEYCHG" in ASCII.
    private const long AppendLockId = 0x43574B4559434847;

    /// <summary>
    /// Appends a change inside <paramref name="transaction"/>. On PostgreSQL it first takes a transaction lock, so
    /// appends commit in id order and a reader that has seen id N has seen every id below it (identity values are
    /// otherwise handed out before commit, and a later one could become visible first). SQLite has one writer anyway.
    /// </summary>
    public static async Task AppendAsync(DbConnection connection, DbTransaction transaction, SqlDialect dialect, KeyChange change,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        await StorageTransactions.LockAsync(connection, transaction, dialect, AppendLockId, cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO key_changes (api_key_id, tenant_id, status, changed_at) VALUES (@ApiKeyId, @TenantId, @Status, @Now)",
            new { change.ApiKeyId, change.TenantId, change.Status, Now = now },
            transaction,
            cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>The highest id so far (0 for none): where a server that has cached nothing yet starts reading.</summary>
    public static async Task<long> LatestIdAsync(IDbConnectionFactory db, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COALESCE(MAX(id), 0) FROM key_changes", cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>Deletes the changes made before <paramref name="cutoff"/>; returns how many.</summary>
    public static async Task<int> PruneAsync(IDbConnectionFactory db, DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM key_changes WHERE changed_at < @Cutoff", new { Cutoff = cutoff }, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>The changes with an id above <paramref name="afterId"/>, oldest first.</summary>
    public static async Task<IReadOnlyList<KeyChange>> ReadAfterAsync(IDbConnectionFactory db, long afterId, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<KeyChange>(new CommandDefinition(
            "SELECT id AS Id, api_key_id AS ApiKeyId, tenant_id AS TenantId, status AS Status FROM key_changes WHERE id > @AfterId ORDER BY id",
            new { AfterId = afterId },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.AsList();
    }
}
