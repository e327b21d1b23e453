using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace CallWaiting.Server.Storage;

/// <summary>
/// SQLite connections to one file with one shared connection string. The file is switched to WAL once
/// (readers never block the writer); every connection gets busy_timeout and foreign_keys. Writers stay safe
/// under concurrency because SQLite admits one writer at a time, others wait up to busy_timeout, and
/// Microsoft.Data.Sqlite starts transactions with BEGIN IMMEDIATE, so a read-then-write transaction can
/// never deadlock on a lock upgrade. synchronous stays FULL: metering rows must survive a power cut.
/// </summary>
public sealed class SqliteConnectionFactory : IDbConnectionFactory
{
    private readonly string _connectionString;
    private readonly string _perConnectionPragmas;
    private readonly SemaphoreSlim _initGate = new(1, 1);
    private volatile bool _initialized;

    /// <summary>Prepares the connection string and creates the file's folder.</summary>
    public SqliteConnectionFactory(StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Provider != DatabaseProvider.Sqlite || options.SqlitePath is null)
        {
            throw new ArgumentException("Options do not describe a SQLite database.", nameof(options));
        }

        SqlTypeHandlers.EnsureRegistered();
        Directory.CreateDirectory(Path.GetDirectoryName(options.SqlitePath)!);
        FilePath = options.SqlitePath;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = options.SqlitePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            ForeignKeys = true,
            DefaultTimeout = options.CommandTimeoutSeconds,
        }.ToString();
        _perConnectionPragmas = $"PRAGMA busy_timeout = {options.SqliteBusyTimeoutMilliseconds};";
    }

    /// <summary>Absolute path of the database file.</summary>
    public string FilePath { get; }

    /// <inheritdoc />
    public SqlDialect Dialect => SqlDialect.Sqlite;

    /// <inheritdoc />
    public async ValueTask<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken = default)
    {
        if (!_initialized)
        {
            await InitializeFileAsync(cancellationToken).ConfigureAwait(false);
        }

        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = connection.CreateCommand();
            command.CommandText = _perConnectionPragmas;
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Clears this file's pooled connections so the file can be deleted or moved.</summary>
    public ValueTask DisposeAsync()
    {
        using (var connection = new SqliteConnection(_connectionString))
        {
            SqliteConnection.ClearPool(connection);
        }

        _initGate.Dispose();
        return ValueTask.CompletedTask;
    }

    // journal_mode is stored in the file, so it is set once, outside any transaction.
    private async Task InitializeFileAsync(CancellationToken cancellationToken)
    {
        await _initGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_initialized)
            {
                return;
            }

            await using var connection = new SqliteConnection(_connectionString);
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = connection.CreateCommand();
            command.CommandText = _perConnectionPragmas;
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            command.CommandText = "PRAGMA journal_mode = WAL;";
            var mode = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
            if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException($"SQLite refused WAL mode for {FilePath} (journal_mode is '{mode}').");
            }

            _initialized = true;
        }
        finally
        {
            _initGate.Release();
        }
    }
}
