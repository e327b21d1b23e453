using System.Data.Common;
using Npgsql;

namespace CallWaiting.Server.Storage;

/// <summary>PostgreSQL connections from one pooled <see cref="NpgsqlDataSource"/> per process.</summary>
public sealed class PostgresConnectionFactory : IDbConnectionFactory
{
    private readonly NpgsqlDataSource _dataSource;

    /// <summary>Builds the data source; values the connection string sets explicitly win over <paramref name="options"/>.</summary>
    public PostgresConnectionFactory(StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Provider != DatabaseProvider.Postgres || options.PostgresConnectionString is null)
        {
            throw new ArgumentException("Options do not describe a PostgreSQL database.", nameof(options));
        }

        SqlTypeHandlers.EnsureRegistered();
        var original = options.PostgresConnectionString;
        var builder = new NpgsqlConnectionStringBuilder(original) { Pooling = true };
        if (!StorageOptions.Mentions(original, "Timeout"))
        {
            builder.Timeout = options.ConnectTimeoutSeconds;
        }

        if (!StorageOptions.Mentions(original, "Command Timeout", "CommandTimeout"))
        {
            builder.CommandTimeout = options.CommandTimeoutSeconds;
        }

        if (!StorageOptions.Mentions(original, "Maximum Pool Size", "Max Pool Size", "MaxPoolSize"))
        {
            builder.MaxPoolSize = options.MaxPoolSize;
        }

        if (!StorageOptions.Mentions(original, "Application Name", "ApplicationName"))
        {
            builder.ApplicationName = "callwaiting";
        }

        _dataSource = new NpgsqlDataSourceBuilder(builder.ConnectionString).Build();
    }

    /// <inheritdoc />
    public SqlDialect Dialect => SqlDialect.Postgres;

    /// <summary>The effective connection string (timeouts and pool applied); it may contain a password.</summary>
    internal string EffectiveConnectionString => _dataSource.ConnectionString;

    /// <inheritdoc />
    public async ValueTask<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken = default) =>
        await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();
}
