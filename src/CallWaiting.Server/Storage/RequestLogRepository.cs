using System.Data.Common;
using System.Text;
using Dapper;

namespace CallWaiting.Server.Storage;

/// <summary>Batched appends to, and recent reads from, the <c>request_logs</c> table.</summary>
public sealed class RequestLogRepository
{
    // 14 parameters per row: 100 rows stay far below both engines' bind-variable limits.
    private const int RowsPerStatement = 100;

    // Bounds on log text: a client controls voice and user agent, and one oversized value must not bloat the table.
    private const int MaxShortText = 256;
    private const int MaxLongText = 2048;

    private readonly IDbConnectionFactory _db;

    /// <summary>Creates the repository over a database.</summary>
    public RequestLogRepository(IDbConnectionFactory db)
    {
        ArgumentNullException.ThrowIfNull(db);
        _db = db;
    }

    /// <summary>Appends entries in one transaction, as multi-row INSERTs (one round trip per 100 rows).</summary>
    public async Task InsertBatchAsync(IReadOnlyCollection<RequestLogEntry> entries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count == 0)
        {
            return;
        }

        await using var connection = await _db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await InsertAsync(connection, transaction, entries, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Appends entries inside the caller's transaction. Text is made storable on both engines first: PostgreSQL
    /// rejects NUL in text (which would fail the batch forever), and long values are cut.
    /// </summary>
    internal static async Task InsertAsync(DbConnection connection, DbTransaction transaction, IEnumerable<RequestLogEntry> entries,
        CancellationToken cancellationToken)
    {
        foreach (var chunk in entries.Chunk(RowsPerStatement))
        {
            var sql = new StringBuilder(
                "INSERT INTO request_logs (request_id, api_key_id, tenant_id, endpoint, method, status, voice, text_length, duration_ms, error, ip, user_agent, cached, created_at) VALUES ");
            var parameters = new DynamicParameters();
            for (var i = 0; i < chunk.Length; i++)
            {
                var entry = chunk[i];
                sql.Append(i == 0 ? "(" : ", (")
                    .Append($"@q{i}, @k{i}, @t{i}, @p{i}, @m{i}, @s{i}, @v{i}, @l{i}, @d{i}, @e{i}, @i{i}, @u{i}, @c{i}, @a{i})");
                parameters.Add("q" + i, Clean(entry.RequestId, MaxShortText) ?? "");
                parameters.Add("k" + i, entry.ApiKeyId);
                parameters.Add("t" + i, entry.TenantId);
                parameters.Add("p" + i, Clean(entry.Endpoint, MaxShortText) ?? "");
                parameters.Add("m" + i, Clean(entry.Method, MaxShortText) ?? "");
                parameters.Add("s" + i, entry.Status);
                parameters.Add("v" + i, Clean(entry.Voice, MaxShortText));
                parameters.Add("l" + i, entry.TextLength);
                parameters.Add("d" + i, double.IsFinite(entry.DurationMs) ? entry.DurationMs : 0d);
                parameters.Add("e" + i, Clean(entry.Error, MaxLongText));
                parameters.Add("i" + i, Clean(entry.Ip, MaxShortText));
                parameters.Add("u" + i, Clean(entry.UserAgent, MaxShortText));
                parameters.Add("c" + i, entry.Cached);
                parameters.Add("a" + i, StorageTime.Truncate(entry.CreatedAt));
            }

            await connection.ExecuteAsync(new CommandDefinition(sql.ToString(), parameters, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        }
    }

    /// <summary>Removes NUL characters and cuts at <paramref name="maxLength"/> characters without splitting a surrogate pair.</summary>
    internal static string? Clean(string? value, int maxLength)
    {
        if (value is null)
        {
            return null;
        }

        if (value.Contains('\0'))
        {
            value = value.Replace("\0", "", StringComparison.Ordinal);
        }

        if (value.Length <= maxLength)
        {
            return value;
        }

        var cut = char.IsHighSurrogate(value[maxLength - 1]) ? maxLength - 1 : maxLength;
        return value[..cut];
    }

    private const string SelectColumns = """
        SELECT id AS Id, request_id AS RequestId, api_key_id AS ApiKeyId, tenant_id AS TenantId, endpoint AS Endpoint, method AS Method,
               status AS Status, voice AS Voice, text_length AS TextLength, duration_ms AS DurationMs, error AS Error, ip AS Ip,
               user_agent AS UserAgent, cached AS Cached, created_at AS CreatedAt
        FROM request_logs
        """;

    /// <summary>The newest entries, optionally of one tenant, newest first.</summary>
    public async Task<IReadOnlyList<RequestLogEntry>> ListRecentAsync(int limit, Guid? tenantId = null, CancellationToken cancellationToken = default)
    {
        var rows = await SearchAsync(new RequestLogFilter(limit, TenantId: tenantId), cancellationToken).ConfigureAwait(false);
        return [.. rows.Select(row => row.Entry)];
    }

    /// <summary>The rows that match every condition of <paramref name="filter"/>, newest first (arrival, then row id).</summary>
    public async Task<IReadOnlyList<StoredRequestLog>> SearchAsync(RequestLogFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentOutOfRangeException.ThrowIfLessThan(filter.Limit, 1);
        var conditions = new List<string>();
        if (filter.RequestId is not null) conditions.Add("request_id = @RequestId");
        if (filter.TenantId is not null) conditions.Add("tenant_id = @TenantId");
        if (filter.ApiKeyId is not null) conditions.Add("api_key_id = @ApiKeyId");
        if (filter.StatusMin is not null) conditions.Add("status >= @StatusMin");
        if (filter.StatusMax is not null) conditions.Add("status <= @StatusMax");
        if (filter.From is not null) conditions.Add("created_at >= @From");
        if (filter.To is not null) conditions.Add("created_at < @To");
        if (filter.Before is not null) conditions.Add("(created_at < @BeforeAt OR (created_at = @BeforeAt AND id < @BeforeId))");
        var where = conditions.Count == 0 ? "" : " WHERE " + string.Join(" AND ", conditions);

        await using var connection = await _db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<RequestLogRow>(new CommandDefinition(
            $"{SelectColumns}{where} ORDER BY created_at DESC, id DESC LIMIT @Limit",
            new
            {
                filter.Limit,
                filter.RequestId,
                TenantId = filter.TenantId ?? Guid.Empty,
                ApiKeyId = filter.ApiKeyId ?? Guid.Empty,
                StatusMin = filter.StatusMin ?? 0,
                StatusMax = filter.StatusMax ?? 0,
                From = filter.From ?? default,
                To = filter.To ?? default,
                BeforeAt = filter.Before?.CreatedAt ?? default,
                BeforeId = filter.Before?.Id ?? 0,
            },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return [.. rows.Select(row => new StoredRequestLog(row.Id, row.ToEntry()))];
    }

    private sealed class RequestLogRow
    {
        public long Id { get; set; }

        public string RequestId { get; set; } = "";

        public Guid? ApiKeyId { get; set; }

        public Guid? TenantId { get; set; }

        public string Endpoint { get; set; } = "";

        public string Method { get; set; } = "";

        public int Status { get; set; }

        public string? Voice { get; set; }

        public int? TextLength { get; set; }

        public double DurationMs { get; set; }

        public string? Error { get; set; }

        public string? Ip { get; set; }

        public string? UserAgent { get; set; }

        public bool Cached { get; set; }

        public DateTimeOffset CreatedAt { get; set; }

        public RequestLogEntry ToEntry() => new(RequestId, ApiKeyId, TenantId, Endpoint, Method, Status, Voice, TextLength, DurationMs, Error, Ip, UserAgent, Cached, CreatedAt);
    }
}
