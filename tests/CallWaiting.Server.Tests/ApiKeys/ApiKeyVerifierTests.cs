using CallWaiting.Server.ApiKeys;
using CallWaiting.Server.Tests.Infrastructure;
using CallWaiting.Server.Tests.Storage;

namespace CallWaiting.Server.Tests.ApiKeys;

public sealed class ApiKeyVerifierTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    [Theory]
    [InlineData(StorageTestStore.Postgres)]
    [InlineData(StorageTestStore.Sqlite)]
    public async Task Valid_key_yields_its_record_and_scopes(string dialect)
    {
        await using var store = await StorageTestStore.CreateAsync(dialect, postgres);
        var context = new ApiKeyTestContext(store.Db);
        var issued = await context.CreateKeyAsync();

        var result = await context.Verifier.VerifyAsync(issued.Key);

        Assert.True(result.IsValid);
        Assert.Equal(ApiKeyVerificationStatus.Valid, result.Status);
        Assert.Equal(200, result.HttpStatusCode);
        Assert.Equal(issued.Id, result.Key?.Id);
        Assert.Equal(issued.TenantId, result.Key?.TenantId);
        Assert.True(result.Key?.HasScope(Scopes.TtsWrite));
        Assert.False(result.Key?.HasScope(Scopes.VoicesWrite));
    }

    [Theory]
    [InlineData(StorageTestStore.Postgres)]
    [InlineData(StorageTestStore.Sqlite)]
    public async Task Unknown_malformed_and_wrong_secret_keys_are_401(string dialect)
    {
        await using var store = await StorageTestStore.CreateAsync(dialect, postgres);
        var context = new ApiKeyTestContext(store.Db);
        var issued = await context.CreateKeyAsync();
        var rightPrefixWrongSecret = issued.Key[..ApiKeyFormat.LookupPrefixLength] + ApiKeyFormat.Generate()[ApiKeyFormat.LookupPrefixLength..];

        foreach (var presented in new[] { null, "", "Bearer x", issued.Key + "A", ApiKeyFormat.Generate(), rightPrefixWrongSecret })
        {
            var result = await context.Verifier.VerifyAsync(presented);
            Assert.Equal(ApiKeyVerificationStatus.Unknown, result.Status);
            Assert.Equal(401, result.HttpStatusCode);
            Assert.Null(result.Key);
        }

        // Malformed keys are refused before hashing; the unknown prefix is verified against the decoy, so that it costs
        // what the wrong secret costs. Asked again, both wrong keys are refused from memory, without scrypt.
        Assert.Equal(2, context.Hasher.Verifications);
        var unknownPrefix = ApiKeyFormat.Generate();
        Assert.Equal(ApiKeyVerificationStatus.Unknown, (await context.Verifier.VerifyAsync(unknownPrefix)).Status);
        Assert.Equal(ApiKeyVerificationStatus.Unknown, (await context.Verifier.VerifyAsync(rightPrefixWrongSecret)).Status);
        Assert.Equal(ApiKeyVerificationStatus.Unknown, (await context.Verifier.VerifyAsync(unknownPrefix)).Status);
        Assert.True(context.Verifier.TryVerifyFromMemory(rightPrefixWrongSecret, out var remembered));
        Assert.Equal(ApiKeyVerificationStatus.Unknown, remembered.Status);
        Assert.Equal(3, context.Hasher.Verifications);
        Assert.Equal(0, context.Cache.Count);

        // Failures are remembered for a minute only.
        context.Clock.Advance(TimeSpan.FromSeconds(61));
        Assert.False(context.Verifier.TryVerifyFromMemory(rightPrefixWrongSecret, out _));
        Assert.Equal(ApiKeyVerificationStatus.Unknown, (await context.Verifier.VerifyAsync(rightPrefixWrongSecret)).Status);
        Assert.Equal(4, context.Hasher.Verifications);
    }

    [Theory]
    [InlineData(StorageTestStore.Postgres)]
    [InlineData(StorageTestStore.Sqlite)]
    public async Task Revoked_suspended_and_expired_keys_are_403(string dialect)
    {
        await using var store = await StorageTestStore.CreateAsync(dialect, postgres);
        var context = new ApiKeyTestContext(store.Db);
        var revoked = await context.CreateKeyAsync("r");
        var suspended = await context.CreateKeyAsync("s");
        var expiring = await context.CreateKeyAsync("e", context.Clock.GetUtcNow().AddHours(1));
        await context.Service.RevokeAsync(revoked.Id);
        await context.Service.SuspendAsync(suspended.Id);

        var revokedResult = await context.Verifier.VerifyAsync(revoked.Key);
        Assert.Equal((ApiKeyVerificationStatus.Revoked, 403), (revokedResult.Status, revokedResult.HttpStatusCode));
        Assert.Equal(revoked.Id, revokedResult.Key?.Id);
        Assert.Equal(ApiKeyVerificationStatus.Suspended, (await context.Verifier.VerifyAsync(suspended.Key)).Status);
        Assert.Equal(ApiKeyVerificationStatus.Valid, (await context.Verifier.VerifyAsync(expiring.Key)).Status);

        context.Clock.Advance(TimeSpan.FromHours(1));
        var expired = await context.Verifier.VerifyAsync(expiring.Key);
        Assert.Equal((ApiKeyVerificationStatus.Expired, 403), (expired.Status, expired.HttpStatusCode));

        // The expiry check also applies to the cached entry: an uncached verify agrees.
        context.Cache.Clear();
        Assert.Equal(ApiKeyVerificationStatus.Expired, (await context.Verifier.VerifyAsync(expiring.Key)).Status);
    }

    [Theory]
    [InlineData(StorageTestStore.Postgres)]
    [InlineData(StorageTestStore.Sqlite)]
    public async Task Cache_hit_skips_scrypt_and_invalidate_sees_the_new_status(string dialect)
    {
        await using var store = await StorageTestStore.CreateAsync(dialect, postgres);
        var context = new ApiKeyTestContext(store.Db);
        var issued = await context.CreateKeyAsync();

        Assert.True((await context.Verifier.VerifyAsync(issued.Key)).IsValid);
        Assert.Equal(1, context.Hasher.Verifications);
        for (var i = 0; i < 10; i++)
        {
            Assert.True((await context.Verifier.VerifyAsync(issued.Key)).IsValid);
        }

        Assert.Equal(1, context.Hasher.Verifications);
        Assert.Equal(1, context.Cache.Count);

        // Revoked in the database (e.g. by the CLI): the cache still answers until the broadcast invalidates it.
        Assert.True(await context.Keys.SetStatusAsync(issued.Id, ApiKeyStatus.Revoked));
        Assert.True((await context.Verifier.VerifyAsync(issued.Key)).IsValid);
        context.Verifier.Invalidate(issued.Id);
        Assert.Equal(ApiKeyVerificationStatus.Revoked, (await context.Verifier.VerifyAsync(issued.Key)).Status);
        Assert.Equal(2, context.Hasher.Verifications);
        Assert.Equal(0, context.Cache.Count);
    }

    [Theory]
    [InlineData(StorageTestStore.Postgres)]
    [InlineData(StorageTestStore.Sqlite)]
    public async Task Cache_entries_expire_after_their_time_to_live(string dialect)
    {
        await using var store = await StorageTestStore.CreateAsync(dialect, postgres);
        var context = new ApiKeyTestContext(store.Db);
        var issued = await context.CreateKeyAsync();
        await context.Verifier.VerifyAsync(issued.Key);
        await context.Keys.SetStatusAsync(issued.Id, ApiKeyStatus.Suspended);

        context.Clock.Advance(TimeSpan.FromSeconds(29));
        Assert.True((await context.Verifier.VerifyAsync(issued.Key)).IsValid);
        context.Clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(ApiKeyVerificationStatus.Suspended, (await context.Verifier.VerifyAsync(issued.Key)).Status);
        Assert.Equal(2, context.Hasher.Verifications);
    }

    [Fact]
    public async Task Concurrent_requests_with_one_key_share_one_verification_while_other_keys_find_the_gate_full()
    {
        await using var store = await StorageTestStore.CreateSqliteAsync();
        var context = new ApiKeyTestContext(store.Db);
        // A key hashed at 32 times the usual cost, so its verification (over a second) is surely still running below.
        var slowService = new KeyService(store.Db, context.Tenants, context.Keys, new ApiKeyHasher(opsLimit: ApiKeyHasher.DefaultOpsLimit * 32), cache: null, time: context.Clock);
        var issued = (await slowService.CreateKeysAsync(new CreateKeysRequest { Name = "slow" }))[0];
        var verifier = new ApiKeyVerifier(context.Keys, context.Hasher, new ApiKeyVerificationCache(time: context.Clock), context.Clock,
            new ApiKeyVerificationOptions { MaxConcurrentVerifications = 1, MaxQueuedVerifications = 0 });

        // One slot and no line: twelve requests with the same key all pass on one scrypt; a different key arriving
        // while that scrypt runs finds the slot taken and is refused at once.
        var first = Task.Run(() => verifier.VerifyAsync(issued.Key).AsTask());
        await Task.Delay(200);
        var same = Enumerable.Range(0, 11).Select(_ => Task.Run(() => verifier.VerifyAsync(issued.Key).AsTask())).Append(first).ToArray();
        var other = await Record.ExceptionAsync(() => Task.Run(() => verifier.VerifyAsync(ApiKeyFormat.Generate()).AsTask()));
        var results = await Task.WhenAll(same);

        Assert.All(results, r => Assert.Equal(issued.Id, r.Key?.Id));
        Assert.IsType<ApiKeyVerificationBusyException>(other);
        Assert.Equal(1, context.Hasher.Verifications);
    }

    [Fact]
    public async Task Key_service_status_changes_invalidate_its_cache()
    {
        await using var store = await StorageTestStore.CreateSqliteAsync();
        var context = new ApiKeyTestContext(store.Db);
        var service = new KeyService(store.Db, context.Tenants, context.Keys, context.Hasher, context.Cache, context.Clock);
        var issued = (await service.CreateKeysAsync(new CreateKeysRequest { Name = "k" }))[0];
        Assert.True((await context.Verifier.VerifyAsync(issued.Key)).IsValid);

        await service.SuspendAsync(issued.Id);
        Assert.Equal(ApiKeyVerificationStatus.Suspended, (await context.Verifier.VerifyAsync(issued.Key)).Status);
        await service.ActivateAsync(issued.Id);
        Assert.True((await context.Verifier.VerifyAsync(issued.Key)).IsValid);
    }

    [Fact]
    public async Task Cache_is_bounded_and_invalidation_during_verification_is_not_undone()
    {
        await using var store = await StorageTestStore.CreateSqliteAsync();
        var context = new ApiKeyTestContext(store.Db);
        var keys = await context.Service.CreateKeysAsync(new CreateKeysRequest { Name = "k", Count = 3 });
        var small = new ApiKeyVerificationCache(TimeSpan.FromSeconds(30), maxEntries: 2, time: context.Clock);
        var verifier = new ApiKeyVerifier(context.Keys, context.Hasher, small, context.Clock);

        foreach (var key in keys)
        {
            Assert.True((await verifier.VerifyAsync(key.Key)).IsValid);
        }

        Assert.Equal(2, small.Count);

        // An Add that started before an invalidation must not leave a possibly stale entry behind.
        var digest = ApiKeyVerificationCache.Digest(keys[2].Key);
        var generation = small.Generation;
        small.Invalidate(keys[0].Id);
        Assert.Equal(1, small.Count);
        small.Add(digest, keys[2].Credential.Key, generation);
        Assert.False(small.TryGet(digest, out _));
        Assert.Equal(1, small.Count);
        small.Add(digest, keys[2].Credential.Key, small.Generation);
        Assert.True(small.TryGet(digest, out var cached));
        Assert.Equal(keys[2].Id, cached.Id);
    }
}
