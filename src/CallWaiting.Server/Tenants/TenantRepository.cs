using System.Data.Common;
using CallWaiting.Server.Revocation;
using CallWaiting.Server.Storage;
using Dapper;

namespace CallWaiting.Server.Tenants;

/// <summary>Reads and writes the <c>tenants</c> table.</summary>
public sealed class TenantRepository
{
    private const string Columns = "id AS Id, slug AS Slug, name AS Name, plan AS Plan, status AS Status, created_at AS CreatedAt";

    private readonly IDbConnectionFactory _db;
    private readonly TimeProvider _time;

    /// <summary>Creates the repository over a database.</summary>
    public TenantRepository(IDbConnectionFactory db, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(db);
        _db = db;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Inserts a tenant; returns false (and changes nothing) when its slug or id is taken.</summary>
    public async Task<bool> TryCreateAsync(Tenant tenant, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        await using var connection = await _db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await TryInsertAsync(connection, null, tenant, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The tenant with this slug, or null.</summary>
    public async Task<Tenant?> GetBySlugAsync(string slug, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(slug);
        await using var connection = await _db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await GetBySlugAsync(connection, null, slug, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The tenant with this id, or null.</summary>
    public async Task<Tenant?> GetByIdAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var connection = await _db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var row = await connection.QuerySingleOrDefaultAsync<TenantRow>(new CommandDefinition(
            $"SELECT {Columns} FROM tenants WHERE id = @Id", new { Id = id }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return row?.ToTenant();
    }

    /// <summary>All tenants, oldest first.</summary>
    public async Task<IReadOnlyList<Tenant>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<TenantRow>(new CommandDefinition(
            $"SELECT {Columns} FROM tenants ORDER BY created_at, slug", cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.Select(row => row.ToTenant()).ToList();
    }

    /// <summary>Sets the name and plan of the tenant with this id; false when there is none.</summary>
    public async Task<bool> UpdateAsync(Guid id, string name, string plan, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(plan);
        await using var connection = await _db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE tenants SET name = @Name, plan = @Plan WHERE id = @Id", new { Id = id, Name = name, Plan = plan }, cancellationToken: cancellationToken))
            .ConfigureAwait(false) == 1;
    }

    /// <summary>
    /// Sets the status of the tenant with this slug and returns it, or null when there is none. A real change is
    /// appended to the key-change feed in the same transaction, so running servers drop the tenant's keys from their caches.
    /// </summary>
    public async Task<Tenant?> SetStatusAsync(string slug, string status, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(slug);
        ArgumentNullException.ThrowIfNull(status);
        await using var connection = await _db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var tenant = await GetBySlugAsync(connection, transaction, slug, cancellationToken).ConfigureAwait(false);
        if (tenant is null || tenant.Status == status)
        {
            return tenant;
        }

        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE tenants SET status = @Status WHERE id = @Id", new { tenant.Id, Status = status }, transaction, cancellationToken: cancellationToken))
            .ConfigureAwait(false);
        await KeyChangeLog.AppendAsync(connection, transaction, _db.Dialect, KeyChange.ForTenant(tenant.Id, status), StorageTime.UtcNow(_time), cancellationToken)
            .ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return tenant with { Status = status };
    }

    /// <summary>Returns the "default" tenant, creating it first if it does not exist (safe under concurrency).</summary>
    public async Task<Tenant> EnsureDefaultAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await EnsureDefaultAsync(connection, null, cancellationToken).ConfigureAwait(false);
    }

    internal async Task<Tenant> EnsureDefaultAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        var candidate = Tenant.NewDefault(StorageTime.UtcNow(_time));
        await TryInsertAsync(connection, transaction, candidate, cancellationToken).ConfigureAwait(false);
        return await GetBySlugAsync(connection, transaction, Tenant.DefaultSlug, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException("The default tenant vanished right after it was ensured.");
    }

    private static async Task<bool> TryInsertAsync(DbConnection connection, DbTransaction? transaction, Tenant tenant, CancellationToken cancellationToken)
    {
        // ON CONFLICT DO NOTHING (both engines) turns a taken slug into "0 rows" instead of a provider-specific error.
        var inserted = await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO tenants (id, slug, name, plan, status, created_at)
            VALUES (@Id, @Slug, @Name, @Plan, @Status, @CreatedAt)
            ON CONFLICT DO NOTHING
            """,
            new { tenant.Id, tenant.Slug, tenant.Name, tenant.Plan, tenant.Status, tenant.CreatedAt },
            transaction,
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return inserted == 1;
    }

    private static async Task<Tenant?> GetBySlugAsync(DbConnection connection, DbTransaction? transaction, string slug, CancellationToken cancellationToken)
    {
        var row = await connection.QuerySingleOrDefaultAsync<TenantRow>(new CommandDefinition(
            $"SELECT {Columns} FROM tenants WHERE slug = @Slug", new { Slug = slug }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return row?.ToTenant();
    }

    private sealed class TenantRow
    {
        public Guid Id { get; set; }

        public string Slug { get; set; } = "";

        public string Name { get; set; } = "";

        public string Plan { get; set; } = "";

        public string Status { get; set; } = "";

        public DateTimeOffset CreatedAt { get; set; }

        public Tenant ToTenant() => new(Id, Slug, Name, Plan, Status, CreatedAt);
    }
}
