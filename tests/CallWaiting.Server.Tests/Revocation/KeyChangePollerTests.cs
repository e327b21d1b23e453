using CallWaiting.Server.ApiKeys;
using CallWaiting.Server.Revocation;
using CallWaiting.Server.Tenants;
using CallWaiting.Server.Tests.ApiKeys;
using CallWaiting.Server.Tests.Infrastructure;
using CallWaiting.Server.Tests.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace CallWaiting.Server.Tests.Revocation;

/// <summary>
/// The key-change feed on both databases: status changes made by another process (a KeyService without this cache,
/// as the CLI is) leave this cache untouched until the poller reads them, and then drop exactly the keys concerned.
/// </summary>
public sealed class KeyChangePollerTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    [Theory]
    [InlineData(StorageTestStore.Postgres)]
    [InlineData(StorageTestStore.Sqlite)]
    public async Task A_key_changed_elsewhere_leaves_the_cache_when_the_feed_is_read(string dialect)
    {
        await using var store = await StorageTestStore.CreateAsync(dialect, postgres);
        var context = new ApiKeyTestContext(store.Db);
        var poller = NewPoller(store, context);
        await poller.PollOnceAsync(CancellationToken.None);
        var revoked = await context.CreateKeyAsync("revoked");
        var kept = await context.CreateKeyAsync("kept");
        await AssertValidAsync(context, revoked, kept);

        await context.Service.RevokeAsync(revoked.Id);
        Assert.Equal(ApiKeyVerificationStatus.Valid, (await context.Verifier.VerifyAsync(revoked.Key)).Status);

        await poller.PollOnceAsync(CancellationToken.None);
        Assert.Equal(ApiKeyVerificationStatus.Revoked, (await context.Verifier.VerifyAsync(revoked.Key)).Status);
        Assert.Equal(1, context.Cache.Count);
        Assert.Equal(ApiKeyVerificationStatus.Valid, (await context.Verifier.VerifyAsync(kept.Key)).Status);
    }

    [Theory]
    [InlineData(StorageTestStore.Postgres)]
    [InlineData(StorageTestStore.Sqlite)]
    public async Task A_suspended_tenant_loses_all_its_keys_and_only_its_own(string dialect)
    {
        await using var store = await StorageTestStore.CreateAsync(dialect, postgres);
        var context = new ApiKeyTestContext(store.Db);
        var tenants = new TenantService(context.Tenants, context.Clock);
        var poller = NewPoller(store, context);
        await poller.PollOnceAsync(CancellationToken.None);
        await tenants.CreateAsync("Acme", "acme");
        var acme = await context.Service.CreateKeysAsync(new CreateKeysRequest { Name = "acme", TenantSlug = "acme", Count = 2 });
        var bystander = await context.CreateKeyAsync("default tenant");
        await AssertValidAsync(context, [.. acme, bystander]);

        await tenants.SuspendAsync("acme");
        await poller.PollOnceAsync(CancellationToken.None);
        Assert.Equal(1, context.Cache.Count);
        foreach (var key in acme)
            Assert.Equal(ApiKeyVerificationStatus.Suspended, (await context.Verifier.VerifyAsync(key.Key)).Status);
        Assert.Equal(ApiKeyVerificationStatus.Valid, (await context.Verifier.VerifyAsync(bystander.Key)).Status);

        await tenants.ActivateAsync("acme");
        foreach (var key in acme)
            Assert.Equal(ApiKeyVerificationStatus.Valid, (await context.Verifier.VerifyAsync(key.Key)).Status);
    }

    [Theory]
    [InlineData(StorageTestStore.Postgres)]
    [InlineData(StorageTestStore.Sqlite)]
    public async Task Changes_older_than_the_retention_are_pruned_hourly_and_newer_ones_still_apply(string dialect)
    {
        await using var store = await StorageTestStore.CreateAsync(dialect, postgres);
        var context = new ApiKeyTestContext(store.Db);
        var poller = NewPoller(store, context);
        await poller.PollOnceAsync(CancellationToken.None);
        var keys = await context.Service.CreateKeysAsync(new CreateKeysRequest { Name = "old", Count = 3 });
        foreach (var key in keys.Take(2)) await context.Service.SuspendAsync(key.Id);
        await poller.PollOnceAsync(CancellationToken.None);
        Assert.Equal(2, await CountChangesAsync(store));

        context.Clock.Advance(KeyChangePoller.Retention + TimeSpan.FromMinutes(1));
        await AssertValidAsync(context, keys[2]);
        await context.Service.SuspendAsync(keys[2].Id);
        await poller.PollOnceAsync(CancellationToken.None);
        Assert.Equal(1, await CountChangesAsync(store));
        Assert.Equal(ApiKeyVerificationStatus.Suspended, (await context.Verifier.VerifyAsync(keys[2].Key)).Status);

        // Once the last change is past the retention too, it goes as well.
        context.Clock.Advance(KeyChangePoller.Retention + TimeSpan.FromMinutes(1));
        await poller.PollOnceAsync(CancellationToken.None);
        Assert.Equal(0, await CountChangesAsync(store));
    }

    [Theory]
    [InlineData(StorageTestStore.Postgres)]
    [InlineData(StorageTestStore.Sqlite)]
    public async Task Concurrent_changes_read_while_they_commit_are_none_of_them_missed(string dialect)
    {
        await using var store = await StorageTestStore.CreateAsync(dialect, postgres);
        var context = new ApiKeyTestContext(store.Db);
        var poller = NewPoller(store, context);
        await poller.PollOnceAsync(CancellationToken.None);
        var keys = await context.Service.CreateKeysAsync(new CreateKeysRequest { Name = "many", Count = 16 });
        await AssertValidAsync(context, [.. keys]);

        // The poller reads over and over while the changes commit from parallel connections; a reader that ever saw a
        // later id before an earlier one had committed would skip that earlier change for good.
        using var writing = new CancellationTokenSource();
        var reading = Task.Run(async () =>
        {
            while (!writing.IsCancellationRequested) await poller.PollOnceAsync(CancellationToken.None);
        });
        await Task.WhenAll(keys.Select(key => Task.Run(() => context.Service.SuspendAsync(key.Id))));
        await writing.CancelAsync();
        await reading;
        await poller.PollOnceAsync(CancellationToken.None);

        Assert.Equal(0, context.Cache.Count);
    }

    private static async Task<long> CountChangesAsync(StorageTestStore store)
    {
        await using var connection = await store.Db.OpenConnectionAsync(CancellationToken.None);
        return await Dapper.SqlMapper.ExecuteScalarAsync<long>(connection, "SELECT COUNT(*) FROM key_changes");
    }

    private static KeyChangePoller NewPoller(StorageTestStore store, ApiKeyTestContext context) =>
        new(store.Db, context.Cache, context.Clock, NullLogger<KeyChangePoller>.Instance);

    private static async Task AssertValidAsync(ApiKeyTestContext context, params IssuedApiKey[] keys)
    {
        foreach (var key in keys)
            Assert.Equal(ApiKeyVerificationStatus.Valid, (await context.Verifier.VerifyAsync(key.Key)).Status);
        Assert.Equal(keys.Length, context.Cache.Count);
    }
}
