using System.Data.Common;
using Dapper;

namespace CallWaiting.Server.Storage;

/// <summary>
/// Applies pending migrations in one transaction, recording each in <c>schema_migrations</c>. Safe to run at
/// every start-up and from <c>callwaiting migrate</c>: it is a no-op when current, and replicas starting
/// together serialize on a PostgreSQL advisory lock (SQLite: on BEGIN IMMEDIATE), so nothing runs twice.
/// </summary>
public sealed class DatabaseMigrator
{
    // Arbitrary constant shared by every CallWaiting process: "CWMIGRAT" in ASCII.
    private const long MigrationLockId = 0x43574D4947524154;

    private readonly IDbConnectionFactory _db;
    private readonly TimeProvider _time;

    /// <summary>Creates a migrator for one database.</summary>
    public DatabaseMigrator(IDbConnectionFactory db, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(db);
        _db = db;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Applies every embedded migration not yet recorded; throws <see cref="MigrationException"/> on drift or failure.</summary>
    public async Task<MigrationResult> MigrateAsync(CancellationToken cancellationToken = default)
    {
        var migrations = MigrationCatalog.For(_db.Dialect);
        await using var connection = await _db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await StorageTransactions.LockAsync(connection, transaction, _db.Dialect, MigrationLockId, cancellationToken).ConfigureAwait(false);

        // Bookkeeping written only by this code, so one definition serves both engines (applied_at as ISO-8601 text).
        await Execute(connection, transaction, """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version     integer NOT NULL PRIMARY KEY,
                name        text    NOT NULL,
                checksum    text    NOT NULL,
                applied_at  text    NOT NULL
            )
            """, null, cancellationToken).ConfigureAwait(false);

        var applied = (await connection.QueryAsync<AppliedRow>(new CommandDefinition(
            "SELECT version AS Version, checksum AS Checksum FROM schema_migrations",
            transaction: transaction,
            cancellationToken: cancellationToken)).ConfigureAwait(false))
            .ToDictionary(row => row.Version, row => row.Checksum);

        var newlyApplied = new List<int>();
        foreach (var migration in migrations)
        {
            if (applied.TryGetValue(migration.Version, out var checksum))
            {
                if (!string.Equals(checksum, migration.Checksum, StringComparison.Ordinal))
                {
                    throw new MigrationException(
                        $"Migration {migration.Version:D3}_{migration.Name} was changed after it was applied (checksum {checksum} in the database, {migration.Checksum} now). Add a new migration instead of editing an applied one.");
                }

                continue;
            }

            try
            {
                await Execute(connection, transaction, migration.Sql, null, cancellationToken).ConfigureAwait(false);
            }
            catch (DbException ex)
            {
                throw new MigrationException($"Migration {migration.Version:D3}_{migration.Name} failed on {_db.Dialect}: {ex.Message}", ex);
            }

            await Execute(connection, transaction,
                "INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (@Version, @Name, @Checksum, @AppliedAt)",
                new { migration.Version, migration.Name, migration.Checksum, AppliedAt = SqliteText.FormatTimestamp(_time.GetUtcNow()) },
                cancellationToken).ConfigureAwait(false);
            newlyApplied.Add(migration.Version);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        var current = applied.Keys.Concat(newlyApplied).DefaultIfEmpty(0).Max();
        return new MigrationResult(newlyApplied, current);
    }

    private static Task<int> Execute(DbConnection connection, DbTransaction transaction, string sql, object? parameters, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(sql, parameters, transaction, cancellationToken: cancellationToken));

    private sealed class AppliedRow
    {
        public int Version { get; set; }

        public string Checksum { get; set; } = "";
    }
}
