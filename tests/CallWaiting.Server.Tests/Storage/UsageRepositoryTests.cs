using CallWaiting.Server.Storage;
using CallWaiting.Server.Tests.Infrastructure;
using Dapper;

namespace CallWaiting.Server.Tests.Storage;

public sealed class UsageRepositoryTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private static readonly DateOnly Today = new(2025, 6, 30);
    private static readonly TestClock Clock = new(new DateTimeOffset(2025, 6, 30, 23, 59, 0, TimeSpan.Zero));

    [Theory]
    [InlineData(StorageTestStore.Postgres)]
    [InlineData(StorageTestStore.Sqlite)]
    public async Task Increments_add_up_across_and_within_batches(string dialect)
    {
        await using var store = await StorageTestStore.CreateAsync(dialect, postgres);
        var usage = new UsageRepository(store.Db, Clock);
        var key = Guid.NewGuid();
        var tenant = Guid.NewGuid();

        await usage.IncrementAsync([
            new UsageIncrement(Today, key, tenant, 1, 100, 2.5, 40, 0, 0),
            new UsageIncrement(Today, key, tenant, 1, 50, 1.25, 20, 1, 1),
        ]);
        await usage.IncrementAsync([new UsageIncrement(Today, key, tenant, 2, 10, 0.25, 30, 0, 1)]);

        await using var connection = await store.Db.OpenConnectionAsync();
        var row = await connection.QuerySingleAsync<(long Requests, long Characters, double Audio, long Ms, long Errors, long Cached)>(
            "SELECT CAST(requests AS BIGINT), CAST(characters AS BIGINT), audio_seconds, CAST(ms_synth AS BIGINT), CAST(errors AS BIGINT), CAST(cached_requests AS BIGINT) FROM usage_counters");
        Assert.Equal((4L, 160L, 4.0, 90L, 1L, 2L), row);
    }

    [Theory]
    [InlineData(StorageTestStore.Postgres)]
    [InlineData(StorageTestStore.Sqlite)]
    public async Task Concurrent_batches_sum_exactly(string dialect)
    {
        await using var store = await StorageTestStore.CreateAsync(dialect, postgres);
        var usage = new UsageRepository(store.Db, Clock);
        var tenant = Guid.NewGuid();
        var keys = Enumerable.Range(0, 5).Select(_ => Guid.NewGuid()).ToArray();

        // 20 parallel batches × 50 increments over 5 keys and 2 days: every batch touches rows the others touch.
        await Task.WhenAll(Enumerable.Range(0, 20).Select(batch => Task.Run(() => usage.IncrementAsync(
            Enumerable.Range(0, 50).Select(i => new UsageIncrement(
                Today.AddDays(-(i % 2)), keys[(i + batch) % keys.Length], tenant, 1, 7, 0.5, 3, i % 10 == 0 ? 1 : 0, 0))))));

        await using var connection = await store.Db.OpenConnectionAsync();
        var totals = await connection.QuerySingleAsync<(long Requests, long Characters, double Audio, long Ms, long Errors)>(
            "SELECT CAST(SUM(requests) AS BIGINT), CAST(SUM(characters) AS BIGINT), SUM(audio_seconds), CAST(SUM(ms_synth) AS BIGINT), CAST(SUM(errors) AS BIGINT) FROM usage_counters");
        Assert.Equal((1000L, 7000L, 500.0, 3000L, 100L), totals);
        Assert.Equal(10L, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM usage_counters"));
    }

    [Theory]
    [InlineData(StorageTestStore.Postgres)]
    [InlineData(StorageTestStore.Sqlite)]
    public async Task Reports_per_key_and_per_tenant_newest_first_within_the_window(string dialect)
    {
        await using var store = await StorageTestStore.CreateAsync(dialect, postgres);
        var usage = new UsageRepository(store.Db, Clock);
        var tenant = Guid.NewGuid();
        var otherTenant = Guid.NewGuid();
        var keyA = Guid.NewGuid();
        var keyB = Guid.NewGuid();
        await usage.IncrementAsync([
            new UsageIncrement(Today, keyA, tenant, 4, 400, 8, 200, 0, 0),
            new UsageIncrement(Today, keyB, tenant, 1, 10, 1, 100, 0, 0),
            new UsageIncrement(Today.AddDays(-6), keyA, tenant, 2, 20, 2, 50, 0, 0),
            new UsageIncrement(Today.AddDays(-7), keyA, tenant, 9, 90, 9, 90, 0, 0),
            new UsageIncrement(Today, Guid.NewGuid(), otherTenant, 100, 1000, 10, 1000, 0, 0),
        ]);

        var perKey = await usage.GetDailyForKeyAsync(keyA, 7);
        Assert.Equal([new UsageDay(Today, 4, 400, 50, 8), new UsageDay(Today.AddDays(-6), 2, 20, 25, 2)], perKey);

        var perTenant = await usage.GetDailyForTenantAsync(tenant, 7);
        Assert.Equal([new UsageDay(Today, 5, 410, 60, 9), new UsageDay(Today.AddDays(-6), 2, 20, 25, 2)], perTenant);

        Assert.Equal(3, (await usage.GetDailyForKeyAsync(keyA, 8)).Count);
        Assert.Single(await usage.GetDailyForKeyAsync(keyA, 1));
        Assert.Empty(await usage.GetDailyForKeyAsync(Guid.NewGuid(), 90));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => usage.GetDailyForKeyAsync(keyA, 0));
    }
}
