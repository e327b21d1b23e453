namespace CallWaiting.Server.Storage;

/// <summary>The few places where PostgreSQL and SQLite SQL really differ; everything else is shared SQL.</summary>
public sealed class SqlDialect
{
    /// <summary>PostgreSQL: uuid/timestamptz/jsonb columns, advisory locks for cross-replica exclusion.</summary>
    public static readonly SqlDialect Postgres = new(DatabaseProvider.Postgres, "Postgres");

    /// <summary>SQLite: TEXT uuids and ISO-8601 timestamps; BEGIN IMMEDIATE already excludes other writers.</summary>
    public static readonly SqlDialect Sqlite = new(DatabaseProvider.Sqlite, "Sqlite");

    private SqlDialect(DatabaseProvider provider, string migrationFolder)
    {
        Provider = provider;
        MigrationFolder = migrationFolder;
    }

    /// <summary>The engine this dialect speaks to.</summary>
    public DatabaseProvider Provider { get; }

    /// <summary>Folder under Storage/Migrations holding this dialect's embedded .sql files.</summary>
    public string MigrationFolder { get; }

    /// <summary>
    /// A statement that, run first inside a transaction, serializes that transaction against every other
    /// one taking the same lock (on every replica), or null when the transaction's own begin already does.
    /// The statement takes one parameter, <c>@LockId</c>.
    /// </summary>
    public string? TransactionLockStatement => Provider == DatabaseProvider.Postgres
        ? "SELECT pg_advisory_xact_lock(@LockId)"
        : null;

    /// <summary>SQL for a parameter bound to a JSON column (PostgreSQL must be told the text is jsonb).</summary>
    public string JsonParameter(string parameterName) => Provider == DatabaseProvider.Postgres
        ? $"CAST(@{parameterName} AS jsonb)"
        : $"@{parameterName}";

    /// <inheritdoc />
    public override string ToString() => Provider.ToString();
}
