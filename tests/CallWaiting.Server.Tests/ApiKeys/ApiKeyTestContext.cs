using CallWaiting.Server.ApiKeys;
using CallWaiting.Server.Storage;
using CallWaiting.Server.Tenants;
using CallWaiting.Server.Tests.Storage;

namespace CallWaiting.Server.Tests.ApiKeys;

/// <summary>The API-key object graph over one test store, wired as the server wires it.</summary>
public sealed class ApiKeyTestContext
{
    public ApiKeyTestContext(IDbConnectionFactory db, TestClock? clock = null)
    {
        Clock = clock ?? new TestClock(new DateTimeOffset(2025, 4, 1, 12, 0, 0, TimeSpan.Zero));
        Tenants = new TenantRepository(db, Clock);
        Keys = new ApiKeyRepository(db, Clock);
        Hasher = new ApiKeyHasher();
        Cache = new ApiKeyVerificationCache(TimeSpan.FromSeconds(30), time: Clock);
        Verifier = new ApiKeyVerifier(Keys, Hasher, Cache, Clock);
        Service = new KeyService(db, Tenants, Keys, Hasher, cache: null, time: Clock);
    }

    public TestClock Clock { get; }

    public TenantRepository Tenants { get; }

    public ApiKeyRepository Keys { get; }

    public ApiKeyHasher Hasher { get; }

    public ApiKeyVerificationCache Cache { get; }

    public ApiKeyVerifier Verifier { get; }

    public KeyService Service { get; }

    public async Task<IssuedApiKey> CreateKeyAsync(string name = "test", DateTimeOffset? expiresAt = null) =>
        (await Service.CreateKeysAsync(new CreateKeysRequest { Name = name, ExpiresAt = expiresAt }))[0];
}
