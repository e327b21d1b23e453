namespace CallWaiting.Server.Storage;

/// <summary>Picks the connection factory that matches the storage options.</summary>
public static class ConnectionFactories
{
    /// <summary>PostgreSQL when the options name a connection string, else the embedded SQLite file.</summary>
    public static IDbConnectionFactory Create(StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Provider switch
        {
            DatabaseProvider.Postgres => new PostgresConnectionFactory(options),
            DatabaseProvider.Sqlite => new SqliteConnectionFactory(options),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Provider, "Unknown database provider."),
        };
    }
}
