using CallWaiting.Server.ApiKeys;
using CallWaiting.Server.Tenants;
using CallWaiting.Server.Tests.Infrastructure;
using CallWaiting.Server.Tests.Storage;

namespace CallWaiting.Server.Tests.ApiKeys;

public sealed class ApiKeyRepositoryTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    [Theory]
    [InlineData(StorageTestStore.Postgres)]
    [InlineData(StorageTestStore.Sqlite)]
    public async Task Insert_find_list_round_trip_every_field(string dialect)
    {
        await using var store = await StorageTestStore.CreateAsync(dialect, postgres);
        var context = new ApiKeyTestContext(store.Db);
        var acme = await new TenantService(context.Tenants, context.Clock).CreateAsync("Acme", "acme");
        var issued = await context.Service.CreateKeysAsync(new CreateKeysRequest
        {
            Name = "acme server",
            TenantSlug = "acme",
            Scopes = "tts:write,voices:write",
            RateLimitPerMin = 5,
            RateLimitPerDay = 50,
            ExpiresAt = context.Clock.GetUtcNow().AddDays(30),
            AllowedOrigins = ["https://app.acme.test", "http://localhost:3000/"],
            Count = 2,
        });
        var defaultKey = await context.CreateKeyAsync("default key");

        var found = await context.Keys.FindByPrefixAsync(issued[0].Prefix);
        Assert.NotNull(found);
        Assert.Equal(issued[0].Credential.KeyHash, found.KeyHash);
        var key = found.Key;
        Assert.Equal(issued[0].Id, key.Id);
        Assert.Equal(acme.Id, key.TenantId);
        Assert.Equal("acme server", key.Name);
        Assert.Equal(["tts:write", "voices:write"], key.Scopes.Order());
        Assert.Equal((5, 50), (key.RateLimitPerMin, key.RateLimitPerDay));
        Assert.Equal(ApiKeyStatus.Active, key.Status);
        Assert.Equal(context.Clock.GetUtcNow().AddDays(30), key.ExpiresAt);
        Assert.Equal(["https://app.acme.test", "http://localhost:3000"], key.AllowedOrigins);
        Assert.Null(key.LastUsedAt);
        Assert.Null(key.RevokedAt);
        Assert.Equal(context.Clock.GetUtcNow(), key.CreatedAt);
        Assert.Null(await context.Keys.FindByPrefixAsync("cw_live_nothinghere0"));

        Assert.Equal(issued.Select(k => k.Id).Order(), (await context.Keys.ListAsync(acme.Id)).Select(k => k.Id).Order());
        Assert.Equal(3, (await context.Keys.ListAsync()).Count);
        Assert.Equal(defaultKey.Id, Assert.Single(await context.Service.ListKeysAsync("default")).Id);
        Assert.Equal(3L, await context.Keys.CountAsync());
    }

    [Theory]
    [InlineData(StorageTestStore.Postgres)]
    [InlineData(StorageTestStore.Sqlite)]
    public async Task Status_changes_and_revocation_is_final(string dialect)
    {
        await using var store = await StorageTestStore.CreateAsync(dialect, postgres);
        var context = new ApiKeyTestContext(store.Db);
        var issued = await context.CreateKeyAsync();

        Assert.True(await context.Keys.SetStatusAsync(issued.Id, ApiKeyStatus.Suspended));
        Assert.Equal(ApiKeyStatus.Suspended, (await context.Keys.GetByIdAsync(issued.Id))?.Status);
        Assert.True(await context.Keys.SetStatusAsync(issued.Id, ApiKeyStatus.Active));
        Assert.Equal(ApiKeyStatus.Active, (await context.Keys.GetByIdAsync(issued.Id))?.Status);

        context.Clock.Advance(TimeSpan.FromMinutes(5));
        Assert.True(await context.Keys.SetStatusAsync(issued.Id, ApiKeyStatus.Revoked));
        var revoked = await context.Keys.GetByIdAsync(issued.Id);
        Assert.Equal(ApiKeyStatus.Revoked, revoked?.Status);
        Assert.Equal(context.Clock.GetUtcNow(), revoked?.RevokedAt);

        Assert.False(await context.Keys.SetStatusAsync(issued.Id, ApiKeyStatus.Active));
        Assert.False(await context.Keys.SetStatusAsync(issued.Id, ApiKeyStatus.Suspended));
        Assert.Equal(ApiKeyStatus.Revoked, (await context.Keys.GetByIdAsync(issued.Id))?.Status);
        Assert.False(await context.Keys.SetStatusAsync(Guid.NewGuid(), ApiKeyStatus.Suspended));
    }

    [Theory]
    [InlineData(StorageTestStore.Postgres)]
    [InlineData(StorageTestStore.Sqlite)]
    public async Task Last_used_is_updated_in_batches_and_never_moves_backwards(string dialect)
    {
        await using var store = await StorageTestStore.CreateAsync(dialect, postgres);
        var context = new ApiKeyTestContext(store.Db);
        var keys = await context.Service.CreateKeysAsync(new CreateKeysRequest { Name = "batch", Count = 3 });
        var t0 = new DateTimeOffset(2025, 4, 2, 8, 0, 0, TimeSpan.Zero);

        await context.Keys.UpdateLastUsedAsync(new Dictionary<Guid, DateTimeOffset>
        {
            [keys[0].Id] = t0,
            [keys[1].Id] = t0.AddSeconds(1),
            [Guid.NewGuid()] = t0,
        });
        await context.Keys.UpdateLastUsedAsync(new Dictionary<Guid, DateTimeOffset>
        {
            [keys[0].Id] = t0.AddMinutes(1),
            [keys[1].Id] = t0.AddSeconds(-30),
        });

        Assert.Equal(t0.AddMinutes(1), (await context.Keys.GetByIdAsync(keys[0].Id))?.LastUsedAt);
        Assert.Equal(t0.AddSeconds(1), (await context.Keys.GetByIdAsync(keys[1].Id))?.LastUsedAt);
        Assert.Null((await context.Keys.GetByIdAsync(keys[2].Id))?.LastUsedAt);
    }

    [Theory]
    [InlineData(StorageTestStore.Postgres)]
    [InlineData(StorageTestStore.Sqlite)]
    public async Task Last_used_batch_larger_than_one_statement_updates_every_key(string dialect)
    {
        await using var store = await StorageTestStore.CreateAsync(dialect, postgres);
        var context = new ApiKeyTestContext(store.Db);
        var tenant = await context.Tenants.EnsureDefaultAsync();
        var credentials = Enumerable.Range(0, 1200).Select(i =>
        {
            var plaintext = ApiKeyFormat.Generate();
            var key = new ApiKey(Guid.NewGuid(), tenant.Id, $"k{i}", ApiKeyFormat.GetLookupPrefix(plaintext), Scopes.Parse("tts:write"),
                120, 10_000, ApiKeyStatus.Active, null, [], null, context.Clock.GetUtcNow(), null);

            // Hash stand-in: scrypt for 1,200 keys would only slow the test; this test is about last_used_at.
            return new ApiKeyCredential(key, "$7$placeholder");
        }).ToList();
        await context.Keys.InsertAsync(credentials);
        var at = new DateTimeOffset(2025, 4, 3, 0, 0, 0, TimeSpan.Zero);

        await context.Keys.UpdateLastUsedAsync(credentials.Select((c, i) => (c.Key.Id, At: at.AddSeconds(i))).ToDictionary(p => p.Id, p => p.At));

        var stored = (await context.Keys.ListAsync()).ToDictionary(k => k.Id, k => k.LastUsedAt);
        for (var i = 0; i < credentials.Count; i++)
        {
            Assert.Equal(at.AddSeconds(i), stored[credentials[i].Key.Id]);
        }
    }
}
