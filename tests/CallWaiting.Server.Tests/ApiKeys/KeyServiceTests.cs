using CallWaiting.Server.ApiKeys;
using CallWaiting.Server.Storage;
using CallWaiting.Server.Tenants;
using CallWaiting.Server.Tests.Infrastructure;
using CallWaiting.Server.Tests.Storage;
using Dapper;
using Npgsql;

namespace CallWaiting.Server.Tests.ApiKeys;

public sealed class KeyServiceTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    [Theory]
    [InlineData(StorageTestStore.Postgres)]
    [InlineData(StorageTestStore.Sqlite)]
    public async Task Create_keys_applies_defaults_and_stores_only_hashes(string dialect)
    {
        await using var store = await StorageTestStore.CreateAsync(dialect, postgres);
        var context = new ApiKeyTestContext(store.Db);

        var issued = await context.Service.CreateKeysAsync(new CreateKeysRequest { Name = "  web app ", Count = 3 });

        Assert.Equal(3, issued.Count);
        Assert.Equal(3, issued.Select(k => k.Key).Distinct().Count());
        var tenant = await context.Tenants.GetBySlugAsync("default");
        Assert.NotNull(tenant);
        foreach (var key in issued)
        {
            Assert.True(ApiKeyFormat.IsWellFormed(key.Key));
            Assert.Equal(key.Key[..20], key.Prefix);
            Assert.Equal(tenant.Id, key.TenantId);
            Assert.Equal("web app", key.Name);
            Assert.DoesNotContain(key.Key, key.ToString());
            var stored = (await context.Keys.GetByIdAsync(key.Id))!;
            Assert.Equal(Scopes.DefaultForNewKeys, Scopes.Format(stored.Scopes));
            Assert.Equal((120, 10_000, ApiKeyStatus.Active), (stored.RateLimitPerMin, stored.RateLimitPerDay, stored.Status));
            Assert.Null(stored.ExpiresAt);
            Assert.True((await context.Verifier.VerifyAsync(key.Key)).IsValid);
        }

        // No column of any row holds a plaintext key or its secret part.
        await using var connection = await store.Db.OpenConnectionAsync();
        var dump = string.Join('\n', await connection.QueryAsync<string>(
            "SELECT name || key_prefix || key_hash || scopes || status FROM api_keys"));
        Assert.All(issued, key => Assert.DoesNotContain(key.Key[20..], dump));
    }

    [Theory]
    [InlineData(StorageTestStore.Postgres)]
    [InlineData(StorageTestStore.Sqlite)]
    public async Task Invalid_requests_are_clear_errors(string dialect)
    {
        await using var store = await StorageTestStore.CreateAsync(dialect, postgres);
        var context = new ApiKeyTestContext(store.Db);
        var now = context.Clock.GetUtcNow();

        var unknownTenant = await Assert.ThrowsAsync<ArgumentException>(() => context.Service.CreateKeysAsync(new CreateKeysRequest { Name = "k", TenantSlug = "nope" }));
        Assert.Contains("tenants create", unknownTenant.Message);
        await Assert.ThrowsAsync<ArgumentException>(() => context.Service.CreateKeysAsync(new CreateKeysRequest { Name = " " }));
        await Assert.ThrowsAsync<ArgumentException>(() => context.Service.CreateKeysAsync(new CreateKeysRequest { Name = "k", Scopes = "tts:write,root" }));
        await Assert.ThrowsAsync<ArgumentException>(() => context.Service.CreateKeysAsync(new CreateKeysRequest { Name = "k", Count = 0 }));
        await Assert.ThrowsAsync<ArgumentException>(() => context.Service.CreateKeysAsync(new CreateKeysRequest { Name = "k", RateLimitPerMin = 0 }));
        await Assert.ThrowsAsync<ArgumentException>(() => context.Service.CreateKeysAsync(new CreateKeysRequest { Name = "k", ExpiresAt = now }));
        await Assert.ThrowsAsync<ArgumentException>(() => context.Service.CreateKeysAsync(new CreateKeysRequest { Name = "k", AllowedOrigins = ["https://x.test/path"] }));
        await Assert.ThrowsAsync<ArgumentException>(() => context.Service.CreateKeysAsync(new CreateKeysRequest { Name = "k", AllowedOrigins = ["ftp://x.test"] }));
        Assert.Equal(0L, await context.Keys.CountAsync());
        await Assert.ThrowsAsync<KeyNotFoundException>(() => context.Service.RevokeAsync(Guid.NewGuid()));
    }

    [Theory]
    [InlineData(StorageTestStore.Postgres)]
    [InlineData(StorageTestStore.Sqlite)]
    public async Task Revoke_suspend_and_list_by_tenant(string dialect)
    {
        await using var store = await StorageTestStore.CreateAsync(dialect, postgres);
        var context = new ApiKeyTestContext(store.Db);
        var keys = await context.Service.CreateKeysAsync(new CreateKeysRequest { Name = "k", Count = 2 });

        Assert.Equal(ApiKeyStatus.Suspended, (await context.Service.SuspendAsync(keys[0].Id)).Status);
        var revoked = await context.Service.RevokeAsync(keys[1].Id);
        Assert.Equal(ApiKeyStatus.Revoked, revoked.Status);
        Assert.NotNull(revoked.RevokedAt);
        Assert.Equal(ApiKeyStatus.Revoked, (await context.Service.RevokeAsync(keys[1].Id)).Status);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => context.Service.ActivateAsync(keys[1].Id));
        Assert.Contains("revoked", error.Message);

        var listed = await context.Service.ListKeysAsync();
        Assert.Equal([ApiKeyStatus.Suspended, ApiKeyStatus.Revoked], keys.Select(k => listed.Single(l => l.Id == k.Id).Status));
        await Assert.ThrowsAsync<ArgumentException>(() => context.Service.ListKeysAsync("nope"));
    }

    [Theory]
    [InlineData(StorageTestStore.Postgres)]
    [InlineData(StorageTestStore.Sqlite)]
    public async Task Bootstrap_without_configured_key_creates_one_random_admin_key_once(string dialect)
    {
        await using var store = await StorageTestStore.CreateAsync(dialect, postgres);
        var context = new ApiKeyTestContext(store.Db);

        var issued = await context.Service.BootstrapAsync(null);

        Assert.NotNull(issued);
        Assert.True(ApiKeyFormat.IsWellFormed(issued.Key));
        Assert.Equal("bootstrap", issued.Name);
        var tenant = await context.Tenants.GetBySlugAsync("default");
        Assert.Equal(tenant?.Id, issued.TenantId);
        var verified = await context.Verifier.VerifyAsync(issued.Key);
        Assert.True(verified.IsValid);
        Assert.All(Scopes.All, scope => Assert.True(verified.Key!.HasScope(scope)));

        Assert.Null(await context.Service.BootstrapAsync(null));
        Assert.Null(await context.Service.BootstrapAsync(ApiKeyFormat.Generate()));
        Assert.Equal(1L, await context.Keys.CountAsync());
    }

    [Theory]
    [InlineData(StorageTestStore.Postgres)]
    [InlineData(StorageTestStore.Sqlite)]
    public async Task Bootstrap_uses_the_configured_key_and_concurrent_starts_create_it_once(string dialect)
    {
        await using var store = await StorageTestStore.CreateAsync(dialect, postgres);
        var context = new ApiKeyTestContext(store.Db);
        await using var otherReplica = ConnectionFactories.Create(store.Options);
        var other = new ApiKeyTestContext(otherReplica, context.Clock);
        var configured = ApiKeyFormat.Generate();

        var results = await Task.WhenAll(
            Task.Run(() => context.Service.BootstrapAsync(configured)),
            Task.Run(() => other.Service.BootstrapAsync(configured)));

        var issued = Assert.Single(results, r => r is not null)!;
        Assert.Equal(configured, issued.Key);
        Assert.Equal(1L, await context.Keys.CountAsync());
        Assert.Single(await context.Tenants.ListAsync());
        Assert.True((await context.Verifier.VerifyAsync(configured)).IsValid);
    }

    [Theory]
    [InlineData("cw_live_short")]
    [InlineData("sk_live_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData(" ")]
    public async Task Malformed_bootstrap_key_is_a_clear_error_and_creates_nothing(string configured)
    {
        await using var store = await StorageTestStore.CreateSqliteAsync();
        var context = new ApiKeyTestContext(store.Db);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => context.Service.BootstrapAsync(configured));

        Assert.Equal("CALLWAITING_BOOTSTRAP_KEY", error.ParamName);
        Assert.Contains("cw_live_", error.Message);
        Assert.Equal(0L, await context.Keys.CountAsync());
        Assert.Empty(await context.Tenants.ListAsync());
    }

    [Fact]
    public async Task Sql_script_runs_on_a_fresh_postgres_database_and_the_keys_work()
    {
        await using var source = await StorageTestStore.CreateSqliteAsync();
        var context = new ApiKeyTestContext(source.Db);
        var (keys, sql) = await context.Service.CreateKeysSqlAsync(new CreateKeysRequest
        {
            Name = "partner's \\ key",
            Scopes = "tts:write,usage:read",
            RateLimitPerMin = 60,
            ExpiresAt = context.Clock.GetUtcNow().AddDays(7),
            AllowedOrigins = ["https://partner.test"],
            Count = 3,
        });

        Assert.Equal(0L, await context.Keys.CountAsync());
        Assert.All(keys, key => Assert.DoesNotContain(key.Key[20..], sql));
        Assert.All(keys, key => Assert.Contains(key.Credential.KeyHash, sql));

        await using var target = await StorageTestStore.CreatePostgresAsync(postgres);
        await using (var connection = new NpgsqlConnection(target.Options.PostgresConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync();
        }

        var targetContext = new ApiKeyTestContext(target.Db, context.Clock);
        foreach (var key in keys)
        {
            var verified = await targetContext.Verifier.VerifyAsync(key.Key);
            Assert.True(verified.IsValid);
            Assert.Equal(key.Id, verified.Key!.Id);
            Assert.Equal("partner's \\ key", verified.Key.Name);
            Assert.Equal(60, verified.Key.RateLimitPerMin);
            Assert.Equal(context.Clock.GetUtcNow().AddDays(7), verified.Key.ExpiresAt);
            Assert.Equal(["https://partner.test"], verified.Key.AllowedOrigins);
            Assert.Equal("tts:write,usage:read", Scopes.Format(verified.Key.Scopes));
        }

        // The tenant row came with the script; running it against a database that has the tenant already adds only keys.
        var tenant = Assert.Single(await targetContext.Tenants.ListAsync());
        Assert.Equal((Tenant.DefaultId, "default"), (tenant.Id, tenant.Slug));
        Assert.Equal(tenant.Id, keys[0].TenantId);
        var (moreKeys, moreSql) = await context.Service.CreateKeysSqlAsync(new CreateKeysRequest { Name = "more" });
        Assert.Equal(tenant.Id, moreKeys[0].TenantId);
        await using (var connection = new NpgsqlConnection(target.Options.PostgresConnectionString))
        {
            await connection.OpenAsync();
            await connection.ExecuteAsync(moreSql);
        }

        Assert.True((await targetContext.Verifier.VerifyAsync(moreKeys[0].Key)).IsValid);
        Assert.Equal(4L, await targetContext.Keys.CountAsync());
    }
}
