using System.Data.Common;

namespace CallWaiting.Server.Storage;

/// <summary>Opens pooled, configured connections to the server's database.</summary>
public interface IDbConnectionFactory : IAsyncDisposable
{
    /// <summary>The SQL dialect of the database behind this factory.</summary>
    SqlDialect Dialect { get; }

    /// <summary>Opens a connection; the caller disposes it (which returns it to the pool).</summary>
    ValueTask<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken = default);
}
