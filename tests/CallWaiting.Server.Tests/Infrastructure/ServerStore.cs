using CallWaiting.Server.ApiKeys;
using CallWaiting.Server.Storage;
using CallWaiting.Server.Tenants;
using Microsoft.Extensions.DependencyInjection;

namespace CallWaiting.Server.Tests.Infrastructure;

/// <summary>Direct access to a test server's database: create tenants, keys and private voices without the CLI.</summary>
public sealed class ServerStore : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private ServerStore(ServiceProvider services) => _services = services;

    /// <summary>Storage over the database the server uses (PostgreSQL connection string or SQLite data folder).</summary>
    public static ServerStore ForPostgres(string connectionString) =>
        new(new ServiceCollection().AddCallWaitingStorage(StorageOptions.ForPostgres(connectionString)).BuildServiceProvider());

    /// <summary>Storage over the SQLite database of a server started with CALLWAITING_DATA_DIR = <paramref name="dataDirectory"/>.</summary>
    public static ServerStore ForSqlite(string dataDirectory) =>
        new(new ServiceCollection().AddCallWaitingStorage(StorageOptions.ForSqlite(Path.Combine(dataDirectory, StorageOptions.SqliteFileName), dataDirectory)).BuildServiceProvider());

    /// <summary>Key administration.</summary>
    public KeyService Keys => _services.GetRequiredService<KeyService>();

    /// <summary>Tenant administration.</summary>
    public TenantService Tenants => _services.GetRequiredService<TenantService>();

    /// <summary>The voices table.</summary>
    public VoiceRepository Voices => _services.GetRequiredService<VoiceRepository>();

    /// <summary>The database.</summary>
    public IDbConnectionFactory Database => _services.GetRequiredService<IDbConnectionFactory>();

    /// <summary>Creates one key and returns its plaintext and record.</summary>
    public async Task<IssuedApiKey> CreateKeyAsync(string tenant = Tenant.DefaultSlug, string scopes = Scopes.DefaultForNewKeys,
        int perMinute = 1000, int perDay = 100_000, DateTimeOffset? expiresAt = null, IReadOnlyList<string>? origins = null)
    {
        var keys = await Keys.CreateKeysAsync(new CreateKeysRequest
        {
            Name = "test", TenantSlug = tenant, Scopes = scopes, RateLimitPerMin = perMinute, RateLimitPerDay = perDay,
            ExpiresAt = expiresAt, AllowedOrigins = origins ?? [],
        });
        return keys[0];
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
