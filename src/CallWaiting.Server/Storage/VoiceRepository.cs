using Dapper;

namespace CallWaiting.Server.Storage;

/// <summary>Reads and writes the <c>voices</c> table, enforcing visibility: public voices plus the caller's tenant's own.</summary>
public sealed class VoiceRepository
{
    private const string Columns = """
        id AS Id, slug AS Slug, owner_tenant AS OwnerTenant, display_name AS DisplayName, description AS Description,
        language AS Language, gender AS Gender, engine AS Engine, engine_voice AS EngineVoice, sample_url AS SampleUrl,
        params AS ParamsJson, created_at AS CreatedAt
        """;

    private const string Visible = "(owner_tenant IS NULL OR owner_tenant = @TenantId)";

    private readonly IDbConnectionFactory _db;

    /// <summary>Creates the repository over a database.</summary>
    public VoiceRepository(IDbConnectionFactory db)
    {
        ArgumentNullException.ThrowIfNull(db);
        _db = db;
    }

    /// <summary>
    /// Inserts or refreshes the seeded public voices by slug, in one transaction. An existing row keeps its id
    /// and creation time; a tenant's private voice that happens to use the slug is never overwritten.
    /// </summary>
    public async Task UpsertPublicAsync(IReadOnlyCollection<StoredVoice> voices, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(voices);
        if (voices.Any(voice => !voice.IsPublic))
        {
            throw new ArgumentException("Seeded voices must be public (no owner tenant).", nameof(voices));
        }

        await using var connection = await _db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var sql = $"""
            INSERT INTO voices (id, slug, owner_tenant, display_name, description, language, gender, engine, engine_voice, sample_url, params, created_at)
            VALUES (@Id, @Slug, NULL, @DisplayName, @Description, @Language, @Gender, @Engine, @EngineVoice, @SampleUrl, {_db.Dialect.JsonParameter("ParamsJson")}, @CreatedAt)
            ON CONFLICT (slug) DO UPDATE SET
                display_name = excluded.display_name, description = excluded.description, language = excluded.language,
                gender = excluded.gender, engine = excluded.engine, engine_voice = excluded.engine_voice,
                sample_url = excluded.sample_url, params = excluded.params
            WHERE voices.owner_tenant IS NULL
            """;
        foreach (var voice in voices)
        {
            await connection.ExecuteAsync(new CommandDefinition(sql, Parameters(voice), transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Inserts a voice (public or private); returns false when its slug or id is taken.</summary>
    public async Task<bool> TryCreateAsync(StoredVoice voice, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(voice);
        await using var connection = await _db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var inserted = await connection.ExecuteAsync(new CommandDefinition(
            $"""
            INSERT INTO voices (id, slug, owner_tenant, display_name, description, language, gender, engine, engine_voice, sample_url, params, created_at)
            VALUES (@Id, @Slug, @OwnerTenant, @DisplayName, @Description, @Language, @Gender, @Engine, @EngineVoice, @SampleUrl, {_db.Dialect.JsonParameter("ParamsJson")}, @CreatedAt)
            ON CONFLICT DO NOTHING
            """,
            Parameters(voice),
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return inserted == 1;
    }

    /// <summary>Public voices plus <paramref name="tenantId"/>'s private ones, ordered by slug.</summary>
    public async Task<IReadOnlyList<StoredVoice>> ListVisibleAsync(Guid tenantId, CancellationToken cancellationToken = default)
    {
        await using var connection = await _db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<VoiceRow>(new CommandDefinition(
            $"SELECT {Columns} FROM voices WHERE {Visible} ORDER BY slug", new { TenantId = tenantId }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.Select(row => row.ToVoice()).ToList();
    }

    /// <summary>Every voice, public and private (every tenant's), ordered by slug: for the operator's admin pages.</summary>
    public async Task<IReadOnlyList<StoredVoice>> ListAllAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<VoiceRow>(new CommandDefinition(
            $"SELECT {Columns} FROM voices ORDER BY slug", cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.Select(row => row.ToVoice()).ToList();
    }

    /// <summary>The voice with this UUID or slug if <paramref name="tenantId"/> may see it, else null (so "missing" and "not yours" look alike).</summary>
    public async Task<StoredVoice?> GetVisibleAsync(string idOrSlug, Guid tenantId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(idOrSlug);
        await using var connection = await _db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var row = Guid.TryParse(idOrSlug, out var id)
            ? await connection.QuerySingleOrDefaultAsync<VoiceRow>(new CommandDefinition(
                $"SELECT {Columns} FROM voices WHERE id = @Id AND {Visible}", new { Id = id, TenantId = tenantId }, cancellationToken: cancellationToken)).ConfigureAwait(false)
            : await connection.QuerySingleOrDefaultAsync<VoiceRow>(new CommandDefinition(
                $"SELECT {Columns} FROM voices WHERE slug = @Slug AND {Visible}", new { Slug = idOrSlug, TenantId = tenantId }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return row?.ToVoice();
    }

    private static object Parameters(StoredVoice voice) => new
    {
        voice.Id,
        voice.Slug,
        voice.OwnerTenant,
        voice.DisplayName,
        voice.Description,
        voice.Language,
        voice.Gender,
        voice.Engine,
        voice.EngineVoice,
        voice.SampleUrl,
        voice.ParamsJson,
        voice.CreatedAt,
    };

    private sealed class VoiceRow
    {
        public Guid Id { get; set; }

        public string Slug { get; set; } = "";

        public Guid? OwnerTenant { get; set; }

        public string DisplayName { get; set; } = "";

        public string Description { get; set; } = "";

        public string Language { get; set; } = "";

        public string? Gender { get; set; }

        public string Engine { get; set; } = "";

        public string EngineVoice { get; set; } = "";

        public string? SampleUrl { get; set; }

        public string ParamsJson { get; set; } = "{}";

        public DateTimeOffset CreatedAt { get; set; }

        public StoredVoice ToVoice() => new(Id, Slug, OwnerTenant, DisplayName, Description, Language, Gender, Engine, EngineVoice, SampleUrl, ParamsJson, CreatedAt);
    }
}
