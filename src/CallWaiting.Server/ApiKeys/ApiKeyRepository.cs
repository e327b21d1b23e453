using System.Data.Common;
using System.Text;
using CallWaiting.Server.Revocation;
using CallWaiting.Server.Storage;
using CallWaiting.Server.Tenants;
using Dapper;

namespace CallWaiting.Server.ApiKeys;

/// <summary>Reads and writes the <c>api_keys</c> table. Listings never include the hash.</summary>
public sealed class ApiKeyRepository
{
    private const string Columns = """
        id AS Id, tenant_id AS TenantId, name AS Name, key_prefix AS KeyPrefix, scopes AS Scopes,
        rate_limit_per_min AS RateLimitPerMin, rate_limit_per_day AS RateLimitPerDay, status AS Status,
        expires_at AS ExpiresAt, allowed_origins AS AllowedOrigins, last_used_at AS LastUsedAt,
        created_at AS CreatedAt, revoked_at AS RevokedAt
        """;

    // Two parameters per pair; well under SQLite's and PostgreSQL's bind-variable limits.
    private const int LastUsedChunk = 500;

    private readonly IDbConnectionFactory _db;
    private readonly TimeProvider _time;

    /// <summary>Creates the repository over a database.</summary>
    public ApiKeyRepository(IDbConnectionFactory db, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(db);
        _db = db;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Inserts keys in one transaction (all or none).</summary>
    public async Task InsertAsync(IReadOnlyCollection<ApiKeyCredential> credentials, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        if (credentials.Count == 0)
        {
            return;
        }

        await using var connection = await _db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await InsertAsync(connection, transaction, credentials, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The key (with hash) whose lookup prefix this is, or null. It is what authentication sees, so an active key
    /// of a suspended tenant comes back suspended: a tenant's suspension stops all of its keys.
    /// </summary>
    public async Task<ApiKeyCredential?> FindByPrefixAsync(string keyPrefix, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keyPrefix);
        await using var connection = await _db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var row = await connection.QuerySingleOrDefaultAsync<ApiKeyRow>(new CommandDefinition(
            $"""
            SELECT {Columns}, key_hash AS KeyHash,
                   (SELECT t.status FROM tenants t WHERE t.id = api_keys.tenant_id) AS TenantStatus
            FROM api_keys WHERE key_prefix = @KeyPrefix
            """,
            new { KeyPrefix = keyPrefix },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        if (row is null)
        {
            return null;
        }

        return new ApiKeyCredential(row.ToUsableKey(), row.KeyHash);
    }

    /// <summary>
    /// The key with this id as authentication sees it (an active key of a suspended tenant comes back suspended), or
    /// null: for credentials that name a key by id (signed tokens, web sessions).
    /// </summary>
    public async Task<ApiKey?> GetForAuthenticationAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var connection = await _db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var row = await connection.QuerySingleOrDefaultAsync<ApiKeyRow>(new CommandDefinition(
            $"""
            SELECT {Columns}, (SELECT t.status FROM tenants t WHERE t.id = api_keys.tenant_id) AS TenantStatus
            FROM api_keys WHERE id = @Id
            """,
            new { Id = id },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return row?.ToUsableKey();
    }

    /// <summary>The key with this id, or null.</summary>
    public async Task<ApiKey?> GetByIdAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var connection = await _db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var row = await connection.QuerySingleOrDefaultAsync<ApiKeyRow>(new CommandDefinition(
            $"SELECT {Columns} FROM api_keys WHERE id = @Id", new { Id = id }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return row?.ToApiKey();
    }

    /// <summary>All keys, or those of one tenant, oldest first.</summary>
    public async Task<IReadOnlyList<ApiKey>> ListAsync(Guid? tenantId = null, CancellationToken cancellationToken = default)
    {
        await using var connection = await _db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var sql = tenantId is null
            ? $"SELECT {Columns} FROM api_keys ORDER BY created_at, key_prefix"
            : $"SELECT {Columns} FROM api_keys WHERE tenant_id = @TenantId ORDER BY created_at, key_prefix";
        var rows = await connection.QueryAsync<ApiKeyRow>(new CommandDefinition(
            sql, new { TenantId = tenantId ?? Guid.Empty }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.Select(row => row.ToApiKey()).ToList();
    }

    /// <summary>Number of keys in the database (any status).</summary>
    public async Task<long> CountAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await CountAsync(connection, null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Changes a key's status; revoking is final, so a revoked key is never re-activated or suspended.
    /// Returns false when no such key exists or it is revoked already (and a non-revoke was asked). A change is
    /// appended to the key-change feed in the same transaction, so running servers drop the key from their caches.
    /// </summary>
    public async Task<bool> SetStatusAsync(Guid id, ApiKeyStatus status, CancellationToken cancellationToken = default)
    {
        await using var connection = await _db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var changed = await SetStatusAsync(connection, transaction, _db.Dialect, id, status, StorageTime.UtcNow(_time), cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return changed;
    }

    /// <summary>
    /// Stores a key's new name, scopes, limits, allowed origins and expiry unless it is revoked (false then, or when it
    /// does not exist), and appends the change to the key-change feed, so running servers drop their cached copy.
    /// </summary>
    public async Task<bool> UpdateSettingsAsync(ApiKey key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        await using var connection = await _db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var updated = await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE api_keys SET name = @Name, scopes = @Scopes, rate_limit_per_min = @RateLimitPerMin, rate_limit_per_day = @RateLimitPerDay,
                                allowed_origins = @AllowedOrigins, expires_at = @ExpiresAt
            WHERE id = @Id AND status <> 'revoked'
            """,
            new
            {
                key.Id,
                key.Name,
                Scopes = ApiKeys.Scopes.Format(key.Scopes),
                key.RateLimitPerMin,
                key.RateLimitPerDay,
                AllowedOrigins = FormatOrigins(key.AllowedOrigins),
                key.ExpiresAt,
            },
            transaction,
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        if (updated == 1)
        {
            await KeyChangeLog.AppendAsync(connection, transaction, _db.Dialect, KeyChange.ForKey(key.Id, key.Status.ToText()), StorageTime.UtcNow(_time), cancellationToken)
                .ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return updated == 1;
    }

    /// <summary>
    /// Records last use for many keys at once (the request path only collects instants; a background
    /// flush calls this). Never moves a key's last_used_at backwards.
    /// </summary>
    public async Task UpdateLastUsedAsync(IReadOnlyDictionary<Guid, DateTimeOffset> lastUsed, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lastUsed);
        if (lastUsed.Count == 0)
        {
            return;
        }

        // A fixed row order keeps concurrent flushes on PostgreSQL from deadlocking on each other's row locks.
        var ordered = lastUsed.OrderBy(pair => pair.Key).ToList();
        await using var connection = await _db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        foreach (var chunk in ordered.Chunk(LastUsedChunk))
        {
            var sql = new StringBuilder("WITH v (id, t) AS (VALUES ");
            var parameters = new DynamicParameters();
            for (var i = 0; i < chunk.Length; i++)
            {
                sql.Append(i == 0 ? "" : ", ").Append("(@i").Append(i).Append(", @t").Append(i).Append(')');
                parameters.Add("i" + i, chunk[i].Key);
                parameters.Add("t" + i, chunk[i].Value);
            }

            sql.Append("""
                )
                UPDATE api_keys SET last_used_at = v.t
                FROM v
                WHERE api_keys.id = v.id AND (api_keys.last_used_at IS NULL OR api_keys.last_used_at < v.t)
                """);
            await connection.ExecuteAsync(new CommandDefinition(sql.ToString(), parameters, transaction, cancellationToken: cancellationToken))
                .ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    internal static async Task InsertAsync(DbConnection connection, DbTransaction transaction, IEnumerable<ApiKeyCredential> credentials, CancellationToken cancellationToken)
    {
        foreach (var credential in credentials)
        {
            var key = credential.Key;
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO api_keys (id, tenant_id, name, key_prefix, key_hash, scopes, rate_limit_per_min, rate_limit_per_day,
                                      status, expires_at, allowed_origins, last_used_at, created_at, revoked_at)
                VALUES (@Id, @TenantId, @Name, @KeyPrefix, @KeyHash, @Scopes, @RateLimitPerMin, @RateLimitPerDay,
                        @Status, @ExpiresAt, @AllowedOrigins, @LastUsedAt, @CreatedAt, @RevokedAt)
                """,
                new
                {
                    key.Id,
                    key.TenantId,
                    key.Name,
                    key.KeyPrefix,
                    credential.KeyHash,
                    Scopes = ApiKeys.Scopes.Format(key.Scopes),
                    key.RateLimitPerMin,
                    key.RateLimitPerDay,
                    Status = key.Status.ToText(),
                    key.ExpiresAt,
                    AllowedOrigins = FormatOrigins(key.AllowedOrigins),
                    key.LastUsedAt,
                    key.CreatedAt,
                    key.RevokedAt,
                },
                transaction,
                cancellationToken: cancellationToken)).ConfigureAwait(false);
        }
    }

    internal static async Task<bool> SetStatusAsync(
        DbConnection connection, DbTransaction transaction, SqlDialect dialect, Guid id, ApiKeyStatus status, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var sql = status == ApiKeyStatus.Revoked
            ? "UPDATE api_keys SET status = @Status, revoked_at = COALESCE(revoked_at, @Now) WHERE id = @Id"
            : "UPDATE api_keys SET status = @Status WHERE id = @Id AND status <> 'revoked'";
        var updated = await connection.ExecuteAsync(new CommandDefinition(
            sql, new { Id = id, Status = status.ToText(), Now = now }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        if (updated == 1)
        {
            await KeyChangeLog.AppendAsync(connection, transaction, dialect, KeyChange.ForKey(id, status.ToText()), now, cancellationToken).ConfigureAwait(false);
        }

        return updated == 1;
    }

    internal static Task<long> CountAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken) =>
        connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM api_keys", transaction: transaction, cancellationToken: cancellationToken));

    /// <summary>Stored form of allowed origins: space-separated (origins never contain spaces), null for "any".</summary>
    internal static string? FormatOrigins(IReadOnlyList<string> origins) => origins.Count == 0 ? null : string.Join(' ', origins);

    private sealed class ApiKeyRow
    {
        public Guid Id { get; set; }

        public Guid TenantId { get; set; }

        public string Name { get; set; } = "";

        public string KeyPrefix { get; set; } = "";

        public string KeyHash { get; set; } = "";

        public string Scopes { get; set; } = "";

        public int RateLimitPerMin { get; set; }

        public int RateLimitPerDay { get; set; }

        public string Status { get; set; } = "";

        public DateTimeOffset? ExpiresAt { get; set; }

        public string? AllowedOrigins { get; set; }

        public DateTimeOffset? LastUsedAt { get; set; }

        public DateTimeOffset CreatedAt { get; set; }

        public DateTimeOffset? RevokedAt { get; set; }

        public string? TenantStatus { get; set; }

        // A tenant's suspension stops all of its keys.
        public ApiKey ToUsableKey()
        {
            var key = ToApiKey();
            return key.Status == ApiKeyStatus.Active && TenantStatus == Tenant.SuspendedStatus ? key with { Status = ApiKeyStatus.Suspended } : key;
        }

        public ApiKey ToApiKey() => new(
            Id,
            TenantId,
            Name,
            KeyPrefix,
            ApiKeys.Scopes.FromStored(Scopes),
            RateLimitPerMin,
            RateLimitPerDay,
            ApiKeyStatusText.Parse(Status),
            ExpiresAt,
            AllowedOrigins is null ? [] : AllowedOrigins.Split(' ', StringSplitOptions.RemoveEmptyEntries),
            LastUsedAt,
            CreatedAt,
            RevokedAt);
    }
}
