using System.Data.Common;
using Npgsql;

namespace CallWaiting.Server.Storage;

/// <summary>Where and how the server stores its data: PostgreSQL when CALLWAITING_DB is set, else SQLite under CALLWAITING_DATA_DIR.</summary>
public sealed record StorageOptions
{
    /// <summary>Environment variable holding a PostgreSQL connection string (DESIGN.md §3).</summary>
    public const string DatabaseVariable = "CALLWAITING_DB";

    /// <summary>Environment variable naming the data folder (DESIGN.md §3).</summary>
    public const string DataDirectoryVariable = "CALLWAITING_DATA_DIR";

    /// <summary>Data folder used when CALLWAITING_DATA_DIR is unset.</summary>
    public const string DefaultDataDirectory = "data";

    /// <summary>File name of the embedded database inside the data folder.</summary>
    public const string SqliteFileName = "callwaiting.db";

    /// <summary>Which database engine is used.</summary>
    public required DatabaseProvider Provider { get; init; }

    /// <summary>Npgsql connection string; set only for <see cref="DatabaseProvider.Postgres"/>.</summary>
    public string? PostgresConnectionString { get; init; }

    /// <summary>Absolute path of the SQLite file; set only for <see cref="DatabaseProvider.Sqlite"/>.</summary>
    public string? SqlitePath { get; init; }

    /// <summary>Absolute path of the data folder (embedded database, cache, uploads).</summary>
    public required string DataDirectory { get; init; }

    /// <summary>Seconds a single command may run before it is cancelled.</summary>
    public int CommandTimeoutSeconds { get; init; } = 30;

    /// <summary>Seconds to wait for a PostgreSQL connection (pool or network).</summary>
    public int ConnectTimeoutSeconds { get; init; } = 15;

    /// <summary>Upper bound of pooled PostgreSQL connections per replica.</summary>
    public int MaxPoolSize { get; init; } = 50;

    /// <summary>Milliseconds a SQLite writer waits for the file lock held by another writer.</summary>
    public int SqliteBusyTimeoutMilliseconds { get; init; } = 10_000;

    /// <summary>Reads CALLWAITING_DB and CALLWAITING_DATA_DIR (from the process environment unless a lookup is given).</summary>
    public static StorageOptions FromEnvironment(Func<string, string?>? getVariable = null)
    {
        getVariable ??= Environment.GetEnvironmentVariable;
        var dataDirectory = getVariable(DataDirectoryVariable);
        if (string.IsNullOrWhiteSpace(dataDirectory))
        {
            dataDirectory = DefaultDataDirectory;
        }

        var database = getVariable(DatabaseVariable);
        return string.IsNullOrWhiteSpace(database)
            ? ForSqlite(Path.Combine(dataDirectory, SqliteFileName), dataDirectory)
            : ForPostgres(database, dataDirectory);
    }

    /// <summary>Options for a PostgreSQL database; the connection string is validated but never echoed (it may hold a password).</summary>
    public static StorageOptions ForPostgres(string connectionString, string dataDirectory = DefaultDataDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or KeyNotFoundException)
        {
            // Only the exception type: the message may quote the (secret-bearing) connection string.
            throw new ArgumentException(
                $"{DatabaseVariable} is not a valid Npgsql connection string (e.g. \"Host=db;Username=app;Password=...;Database=callwaiting\"): {ex.GetType().Name}.",
                nameof(connectionString));
        }

        if (string.IsNullOrWhiteSpace(builder.Host))
        {
            throw new ArgumentException($"{DatabaseVariable} must name a Host.", nameof(connectionString));
        }

        return new StorageOptions
        {
            Provider = DatabaseProvider.Postgres,
            PostgresConnectionString = connectionString,
            DataDirectory = Path.GetFullPath(dataDirectory),
        };
    }

    /// <summary>Options for an embedded SQLite file (its folder is created on first use).</summary>
    public static StorageOptions ForSqlite(string path, string? dataDirectory = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var fullPath = Path.GetFullPath(path);
        return new StorageOptions
        {
            Provider = DatabaseProvider.Sqlite,
            SqlitePath = fullPath,
            DataDirectory = Path.GetFullPath(dataDirectory ?? Path.GetDirectoryName(fullPath)!),
        };
    }

    /// <summary>Whether a connection string names a setting under any of its keyword spellings (so explicit values win over our defaults).</summary>
    internal static bool Mentions(string connectionString, params string[] keywords)
    {
        var builder = new DbConnectionStringBuilder { ConnectionString = connectionString };
        return keywords.Any(builder.ContainsKey);
    }

    /// <summary>Never prints the connection string: it may carry a password.</summary>
    public override string ToString() => Provider == DatabaseProvider.Postgres
        ? $"PostgreSQL (data folder {DataDirectory})"
        : $"SQLite {SqlitePath}";
}
