using System.Data.Common;
using CallWaiting.Server.Configuration;
using Npgsql;

namespace CallWaiting.Server.Storage;

/// <summary>
/// Where and how the server stores its data (section <c>Storage</c>): PostgreSQL when a connection string is set
/// (CALLWAITING_DB), else SQLite under the data folder (CALLWAITING_DATA_DIR).
/// </summary>
public sealed record StorageOptions : IValidatedOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Storage";

    /// <summary>Environment variable holding a PostgreSQL connection string (DESIGN.md §3).</summary>
    public const string DatabaseVariable = "CALLWAITING_DB";

    /// <summary>Environment variable naming the data folder (DESIGN.md §3).</summary>
    public const string DataDirectoryVariable = "CALLWAITING_DATA_DIR";

    /// <summary>Environment variable naming the neural voices' folder.</summary>
    public const string ModelsDirectoryVariable = "CALLWAITING_MODELS_DIR";

    /// <summary>Data folder used when CALLWAITING_DATA_DIR is unset.</summary>
    public const string DefaultDataDirectory = "data";

    /// <summary>File name of the embedded database inside the data folder.</summary>
    public const string SqliteFileName = "callwaiting.db";

    private readonly string? _sqliteFile;

    /// <summary>Npgsql connection string (CALLWAITING_DB); unset or blank means SQLite.</summary>
    public string? PostgresConnectionString { get; init; }

    /// <summary>The data folder (embedded database, cache, uploads), relative to the working directory unless absolute.</summary>
    public string DataDirectory { get; init; } = DefaultDataDirectory;

    /// <summary>The neural voices' folder (CALLWAITING_MODELS_DIR); unset means the data folder's <c>models</c>.</summary>
    public string? ModelsDirectory { get; init; }

    /// <summary>Seconds a single command may run before it is cancelled.</summary>
    public int CommandTimeoutSeconds { get; init; } = 30;

    /// <summary>Seconds to wait for a PostgreSQL connection (pool or network).</summary>
    public int ConnectTimeoutSeconds { get; init; } = 15;

    /// <summary>Upper bound of pooled PostgreSQL connections per replica.</summary>
    public int MaxPoolSize { get; init; } = 50;

    /// <summary>Milliseconds a SQLite writer waits for the file lock held by another writer.</summary>
    public int SqliteBusyTimeoutMilliseconds { get; init; } = 10_000;

    /// <summary>Which database engine is used.</summary>
    public DatabaseProvider Provider => string.IsNullOrWhiteSpace(PostgresConnectionString) ? DatabaseProvider.Sqlite : DatabaseProvider.Postgres;

    /// <summary>Absolute path of the data folder.</summary>
    public string DataPath => Path.GetFullPath(DataDirectory);

    /// <summary>Absolute path of the models folder.</summary>
    public string ModelsPath => Path.GetFullPath(string.IsNullOrWhiteSpace(ModelsDirectory) ? Path.Combine(DataDirectory, "models") : ModelsDirectory);

    /// <summary>Absolute path of the SQLite file (in the data folder unless <see cref="ForSqlite"/> named another); null for PostgreSQL.</summary>
    public string? SqlitePath => Provider == DatabaseProvider.Sqlite ? Path.GetFullPath(_sqliteFile ?? Path.Combine(DataDirectory, SqliteFileName)) : null;

    private StorageOptions(string? sqliteFile) => _sqliteFile = sqliteFile;

    /// <summary>Defaults: SQLite under ./data.</summary>
    public StorageOptions()
    {
    }

    /// <summary>Options for a PostgreSQL database.</summary>
    public static StorageOptions ForPostgres(string connectionString, string dataDirectory = DefaultDataDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return new StorageOptions { PostgresConnectionString = connectionString, DataDirectory = Path.GetFullPath(dataDirectory) };
    }

    /// <summary>Options for an embedded SQLite file (its folder is created on first use).</summary>
    public static StorageOptions ForSqlite(string path, string? dataDirectory = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var fullPath = Path.GetFullPath(path);
        return new StorageOptions(fullPath) { DataDirectory = Path.GetFullPath(dataDirectory ?? Path.GetDirectoryName(fullPath)!) };
    }

    /// <inheritdoc />
    /// <remarks>The connection string is never echoed: it may hold a password.</remarks>
    public IEnumerable<string> Problems()
    {
        if (string.IsNullOrWhiteSpace(DataDirectory)) yield return $"Storage:DataDirectory ({DataDirectoryVariable}) must not be blank.";
        if (CommandTimeoutSeconds < 1) yield return "Storage:CommandTimeoutSeconds must be at least 1.";
        if (ConnectTimeoutSeconds < 1) yield return "Storage:ConnectTimeoutSeconds must be at least 1.";
        if (MaxPoolSize < 1) yield return "Storage:MaxPoolSize must be at least 1.";
        if (SqliteBusyTimeoutMilliseconds < 0) yield return "Storage:SqliteBusyTimeoutMilliseconds must not be negative.";
        if (Provider == DatabaseProvider.Postgres && PostgresProblem(PostgresConnectionString!) is { } problem) yield return problem;
    }

    /// <summary>Whether a connection string names a setting under any of its keyword spellings (so explicit values win over our defaults).</summary>
    internal static bool Mentions(string connectionString, params string[] keywords)
    {
        var builder = new DbConnectionStringBuilder { ConnectionString = connectionString };
        return keywords.Any(builder.ContainsKey);
    }

    /// <summary>Never prints the connection string: it may carry a password.</summary>
    public override string ToString() => Provider == DatabaseProvider.Postgres
        ? $"PostgreSQL (data folder {DataPath})"
        : $"SQLite {SqlitePath}";

    private static string? PostgresProblem(string connectionString)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or KeyNotFoundException)
        {
            // Only the exception type: the message may quote the (secret-bearing) connection string.
            return $"Storage:PostgresConnectionString ({DatabaseVariable}) is not a valid Npgsql connection string (e.g. \"Host=db;Username=app;Password=...;Database=callwaiting\"): {ex.GetType().Name}.";
        }

        return string.IsNullOrWhiteSpace(builder.Host) ? $"Storage:PostgresConnectionString ({DatabaseVariable}) must name a Host." : null;
    }
}
