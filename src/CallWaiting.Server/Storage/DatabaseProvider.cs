namespace CallWaiting.Server.Storage;

/// <summary>The database engine behind the repositories.</summary>
public enum DatabaseProvider
{
    /// <summary>Embedded SQLite file under the data folder (single node).</summary>
    Sqlite,

    /// <summary>PostgreSQL through Npgsql (production, several replicas).</summary>
    Postgres,
}
