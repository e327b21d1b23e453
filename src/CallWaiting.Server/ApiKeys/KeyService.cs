using CallWaiting.Server.Storage;
using CallWaiting.Server.Tenants;

namespace CallWaiting.Server.ApiKeys;

/// <summary>
/// Key administration behind <c>callwaiting keys …</c> and the server's first start: creates keys (the
/// plaintext is returned once and never stored), renders them as SQL, lists, revokes and suspends them,
/// and bootstraps an empty database with the default tenant and one admin key.
/// </summary>
public sealed class KeyService
{
    /// <summary>Environment variable with the key to create on an empty database (DESIGN.md §3).</summary>
    public const string BootstrapKeyVariable = "CALLWAITING_BOOTSTRAP_KEY";

    /// <summary>Name given to the bootstrap key.</summary>
    public const string BootstrapKeyName = "bootstrap";

    // Arbitrary constant shared by every CallWaiting process: "CWBOOTST" in ASCII.
    private const long BootstrapLockId = 0x4357424F4F545354;

    private readonly IDbConnectionFactory _db;
    private readonly TenantRepository _tenants;
    private readonly ApiKeyRepository _keys;
    private readonly ApiKeyHasher _hasher;
    private readonly ApiKeyVerificationCache? _cache;
    private readonly TimeProvider _time;

    /// <summary>Creates the service; with a cache, status changes made here are also dropped from it at once.</summary>
    public KeyService(
        IDbConnectionFactory db,
        TenantRepository tenants,
        ApiKeyRepository keys,
        ApiKeyHasher hasher,
        ApiKeyVerificationCache? cache = null,
        TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(tenants);
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(hasher);
        _db = db;
        _tenants = tenants;
        _keys = keys;
        _hasher = hasher;
        _cache = cache;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Creates and stores <see cref="CreateKeysRequest.Count"/> keys; <see cref="ArgumentException"/> for bad input or an unknown tenant.</summary>
    public async Task<IReadOnlyList<IssuedApiKey>> CreateKeysAsync(CreateKeysRequest request, CancellationToken cancellationToken = default)
    {
        var validated = Validate(request);
        var tenant = request.TenantSlug == Tenant.DefaultSlug
            ? await _tenants.EnsureDefaultAsync(cancellationToken).ConfigureAwait(false)
            : await RequireTenantAsync(request.TenantSlug, cancellationToken).ConfigureAwait(false);
        var issued = IssueMany(request, validated, tenant.Id);
        await _keys.InsertAsync(issued.Select(key => key.Credential).ToList(), cancellationToken).ConfigureAwait(false);
        return issued;
    }

    /// <summary>
    /// Creates keys without storing them and renders the PostgreSQL script that stores them elsewhere
    /// (<c>--sql</c>). The tenant is looked up here; a missing "default" tenant is described, not created.
    /// </summary>
    public async Task<(IReadOnlyList<IssuedApiKey> Keys, string Sql)> CreateKeysSqlAsync(CreateKeysRequest request, CancellationToken cancellationToken = default)
    {
        var validated = Validate(request);
        var tenant = await _tenants.GetBySlugAsync(request.TenantSlug, cancellationToken).ConfigureAwait(false);
        if (tenant is null)
        {
            tenant = request.TenantSlug == Tenant.DefaultSlug
                ? Tenant.NewDefault(StorageTime.UtcNow(_time))
                : throw UnknownTenant(request.TenantSlug);
        }

        var issued = IssueMany(request, validated, tenant.Id);
        return (issued, ApiKeySqlScript.Render(tenant, issued));
    }

    /// <summary>All keys, or one tenant's (by slug); records only, never hashes.</summary>
    public async Task<IReadOnlyList<ApiKey>> ListKeysAsync(string? tenantSlug = null, CancellationToken cancellationToken = default)
    {
        if (tenantSlug is null)
        {
            return await _keys.ListAsync(null, cancellationToken).ConfigureAwait(false);
        }

        var tenant = await RequireTenantAsync(tenantSlug, cancellationToken).ConfigureAwait(false);
        return await _keys.ListAsync(tenant.Id, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The key with this id (never its hash), or null.</summary>
    public Task<ApiKey?> FindAsync(Guid id, CancellationToken cancellationToken = default) => _keys.GetByIdAsync(id, cancellationToken);

    /// <summary>
    /// Changes a key's settings under the rules of creation (name, scopes, limits, origins, a future expiry);
    /// <see cref="KeyNotFoundException"/> when it does not exist, <see cref="InvalidOperationException"/> when it is revoked.
    /// Running servers drop the key from their caches, so the new settings apply to its next request.
    /// </summary>
    public async Task<ApiKey> UpdateAsync(Guid id, KeyUpdate update, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(update);
        var key = await RequireUnrevokedAsync(id, cancellationToken).ConfigureAwait(false);
        var name = update.Name ?? key.Name;
        ValidateName(name);
        var (perMin, perDay) = (update.RateLimitPerMin ?? key.RateLimitPerMin, update.RateLimitPerDay ?? key.RateLimitPerDay);
        ValidateLimits(perMin, perDay);
        if (update.SetsExpiry) ValidateExpiry(update.ExpiresAt);

        var updated = key with
        {
            Name = name.Trim(),
            Scopes = update.Scopes is null ? key.Scopes : Scopes.Parse(update.Scopes),
            RateLimitPerMin = perMin,
            RateLimitPerDay = perDay,
            AllowedOrigins = update.AllowedOrigins is null ? key.AllowedOrigins : NormalizeOrigins(update.AllowedOrigins),
            ExpiresAt = !update.SetsExpiry ? key.ExpiresAt : update.ExpiresAt is { } expires ? StorageTime.Truncate(expires) : null,
        };
        if (!await _keys.UpdateSettingsAsync(updated, cancellationToken).ConfigureAwait(false)) throw Revoked(key);
        _cache?.Invalidate(id);
        return updated;
    }

    /// <summary>
    /// Replaces a key with a new one of the same tenant and settings, in one transaction: the new key is returned (its
    /// plaintext to be shown once) and the old one is revoked. <see cref="KeyNotFoundException"/> when it does not exist,
    /// <see cref="InvalidOperationException"/> when it is revoked or expired.
    /// </summary>
    public async Task<IssuedApiKey> RotateAsync(Guid id, CancellationToken cancellationToken = default)
    {
        var key = await RequireUnrevokedAsync(id, cancellationToken).ConfigureAwait(false);
        if (key.IsExpiredAt(_time.GetUtcNow()))
            throw new InvalidOperationException($"API key {id} ({key.KeyPrefix}) has expired: set a new expiry first, or create a new key.");
        var settings = new CreateKeysRequest { Name = key.Name, RateLimitPerMin = key.RateLimitPerMin, RateLimitPerDay = key.RateLimitPerDay, ExpiresAt = key.ExpiresAt };
        var issued = Issue(ApiKeyFormat.Generate(), settings, key.Scopes, key.AllowedOrigins, key.TenantId);

        await using var connection = await _db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await ApiKeyRepository.InsertAsync(connection, transaction, [issued.Credential], cancellationToken).ConfigureAwait(false);
        await ApiKeyRepository.SetStatusAsync(connection, transaction, _db.Dialect, id, ApiKeyStatus.Revoked, StorageTime.UtcNow(_time), cancellationToken)
            .ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        _cache?.Invalidate(id);
        return issued;
    }

    /// <summary>Revokes a key for good (idempotent); <see cref="KeyNotFoundException"/> when it does not exist.</summary>
    public Task<ApiKey> RevokeAsync(Guid id, CancellationToken cancellationToken = default) =>
        SetStatusAsync(id, ApiKeyStatus.Revoked, cancellationToken);

    /// <summary>Suspends a key; <see cref="InvalidOperationException"/> if it is revoked.</summary>
    public Task<ApiKey> SuspendAsync(Guid id, CancellationToken cancellationToken = default) =>
        SetStatusAsync(id, ApiKeyStatus.Suspended, cancellationToken);

    /// <summary>Re-activates a suspended key; <see cref="InvalidOperationException"/> if it is revoked.</summary>
    public Task<ApiKey> ActivateAsync(Guid id, CancellationToken cancellationToken = default) =>
        SetStatusAsync(id, ApiKeyStatus.Active, cancellationToken);

    /// <summary>
    /// On a database without keys: ensures the default tenant and creates one admin-scoped key, either
    /// <paramref name="configuredKey"/> (CALLWAITING_BOOTSTRAP_KEY, which must be well-formed) or a random
    /// one, and returns it so the server can print it once. Returns null when keys exist already. Replicas
    /// starting together serialize on a lock, so exactly one of them creates the key.
    /// </summary>
    public async Task<IssuedApiKey?> BootstrapAsync(string? configuredKey, CancellationToken cancellationToken = default)
    {
        if (!string.IsNullOrEmpty(configuredKey))
        {
            ApiKeyFormat.Validate(configuredKey, BootstrapKeyVariable);
        }

        await using var connection = await _db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await StorageTransactions.LockAsync(connection, transaction, _db.Dialect, BootstrapLockId, cancellationToken).ConfigureAwait(false);
        if (await ApiKeyRepository.CountAsync(connection, transaction, cancellationToken).ConfigureAwait(false) > 0)
        {
            return null;
        }

        var tenant = await _tenants.EnsureDefaultAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        var request = new CreateKeysRequest { Name = BootstrapKeyName, Scopes = Scopes.Admin };
        var issued = Issue(string.IsNullOrEmpty(configuredKey) ? ApiKeyFormat.Generate() : configuredKey, request, Scopes.Parse(Scopes.Admin), [], tenant.Id);
        await ApiKeyRepository.InsertAsync(connection, transaction, [issued.Credential], cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return issued;
    }

    private async Task<ApiKey> SetStatusAsync(Guid id, ApiKeyStatus status, CancellationToken cancellationToken)
    {
        var changed = await _keys.SetStatusAsync(id, status, cancellationToken).ConfigureAwait(false);
        _cache?.Invalidate(id);
        var key = await _keys.GetByIdAsync(id, cancellationToken).ConfigureAwait(false)
            ?? throw new KeyNotFoundException($"No API key with id {id}.");
        return changed ? key : throw Revoked(key);
    }

    private async Task<ApiKey> RequireUnrevokedAsync(Guid id, CancellationToken cancellationToken)
    {
        var key = await _keys.GetByIdAsync(id, cancellationToken).ConfigureAwait(false) ?? throw new KeyNotFoundException($"No API key with id {id}.");
        return key.Status == ApiKeyStatus.Revoked ? throw Revoked(key) : key;
    }

    private static InvalidOperationException Revoked(ApiKey key) => new($"API key {key.Id} ({key.KeyPrefix}) is revoked; revocation is final.");

    private async Task<Tenant> RequireTenantAsync(string slug, CancellationToken cancellationToken) =>
        await _tenants.GetBySlugAsync(slug, cancellationToken).ConfigureAwait(false) ?? throw UnknownTenant(slug);

    private static ArgumentException UnknownTenant(string slug) =>
        new($"Tenant '{slug}' does not exist; create it first with `callwaiting tenants create --name NAME --slug {slug}`.", nameof(CreateKeysRequest.TenantSlug));

    private (IReadOnlySet<string> Scopes, IReadOnlyList<string> Origins) Validate(CreateKeysRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        ValidateName(request.Name);
        TenantSlug.Validate(request.TenantSlug, nameof(CreateKeysRequest.TenantSlug));
        if (request.Count is < 1 or > CreateKeysRequest.MaxCount)
        {
            throw new ArgumentException($"The key count must be 1-{CreateKeysRequest.MaxCount}.", nameof(request));
        }

        ValidateLimits(request.RateLimitPerMin, request.RateLimitPerDay);
        ValidateExpiry(request.ExpiresAt);
        return (Scopes.Parse(request.Scopes), NormalizeOrigins(request.AllowedOrigins));
    }

    private static void ValidateName(string? name)
    {
        // Control characters (NUL above all, which PostgreSQL cannot store) have no place in a name shown to people.
        if (string.IsNullOrWhiteSpace(name) || name.Length > CreateKeysRequest.MaxNameLength || name.Any(char.IsControl))
        {
            throw new ArgumentException($"A key name must be 1-{CreateKeysRequest.MaxNameLength} characters, none of them control characters.", nameof(name));
        }
    }

    private static void ValidateLimits(int perMinute, int perDay)
    {
        if (perMinute < 1 || perDay < 1)
        {
            throw new ArgumentException("Rate limits must be positive.", nameof(perMinute));
        }
    }

    private void ValidateExpiry(DateTimeOffset? expiresAt)
    {
        if (expiresAt is { } expires && expires <= _time.GetUtcNow())
        {
            throw new ArgumentException($"The expiry {expires:O} is not in the future.", nameof(expiresAt));
        }
    }

    private static List<string> NormalizeOrigins(IEnumerable<string> origins) => origins.Select(NormalizeOrigin).Distinct(StringComparer.Ordinal).ToList();

    private static string NormalizeOrigin(string origin)
    {
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
            || uri.PathAndQuery != "/" || !string.IsNullOrEmpty(uri.Fragment) || !string.IsNullOrEmpty(uri.UserInfo))
        {
            throw new ArgumentException($"'{origin}' is not an origin such as https://app.example.com or http://localhost:3000.", nameof(CreateKeysRequest.AllowedOrigins));
        }

        return uri.GetLeftPart(UriPartial.Authority);
    }

    private IssuedApiKey[] IssueMany(CreateKeysRequest request, (IReadOnlySet<string> Scopes, IReadOnlyList<string> Origins) validated, Guid tenantId)
    {
        // scrypt dominates (tens of ms per key) and is CPU-bound, so bulk creation hashes in parallel.
        var issued = new IssuedApiKey[request.Count];
        Parallel.For(0, request.Count, i => issued[i] = Issue(ApiKeyFormat.Generate(), request, validated.Scopes, validated.Origins, tenantId));
        return issued;
    }

    private IssuedApiKey Issue(string plaintext, CreateKeysRequest request, IReadOnlySet<string> scopes, IReadOnlyList<string> origins, Guid tenantId)
    {
        var key = new ApiKey(
            Guid.NewGuid(),
            tenantId,
            request.Name.Trim(),
            ApiKeyFormat.GetLookupPrefix(plaintext),
            scopes,
            request.RateLimitPerMin,
            request.RateLimitPerDay,
            ApiKeyStatus.Active,
            request.ExpiresAt is { } expiresAt ? StorageTime.Truncate(expiresAt) : null,
            origins,
            LastUsedAt: null,
            CreatedAt: StorageTime.UtcNow(_time),
            RevokedAt: null);
        return new IssuedApiKey(plaintext, new ApiKeyCredential(key, _hasher.Hash(plaintext)));
    }
}
