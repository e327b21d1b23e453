using System.Data.Common;
using Dapper;

namespace CallWaiting.Server.Storage;

/// <summary>Helpers for transactions that must exclude each other across processes and replicas.</summary>
internal static class StorageTransactions
{
    /// <summary>Takes the dialect's transaction-scoped exclusive lock (released at commit or rollback).</summary>
    public static async Task LockAsync(DbConnection connection, DbTransaction transaction, SqlDialect dialect, long lockId, CancellationToken cancellationToken)
    {
        if (dialect.TransactionLockStatement is { } statement)
        {
            await connection.ExecuteAsync(new CommandDefinition(statement, new { LockId = lockId }, transaction, cancellationToken: cancellationToken))
                .ConfigureAwait(false);
        }
    }
}
