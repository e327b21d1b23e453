using System.Text.Json;
using CallWaiting.Server.Metering;
using CallWaiting.Server.Storage;
using CallWaiting.Server.Tests.Infrastructure;
using CallWaiting.Server.Tests.Storage;

namespace CallWaiting.Server.Tests.Metering;

public sealed class UsageQueryTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private static readonly DateOnly Today = new(2025, 6, 30);
    private static readonly TestClock Clock = new(new DateTimeOffset(2025, 6, 30, 12, 0, 0, TimeSpan.Zero));

    [Theory]
    [InlineData(StorageTestStore.Postgres)]
    [InlineData(StorageTestStore.Sqlite)]
    public async Task Reports_days_with_usage_newest_first_for_one_key(string dialect)
    {
        await using var store = await StorageTestStore.CreateAsync(dialect, postgres);
        var key = Guid.NewGuid();
        var otherKey = Guid.NewGuid();
        var tenant = Guid.NewGuid();
        await new MeteringStore(store.Db).WriteAsync(new MeteringBatch(Guid.NewGuid(), [
            new UsageIncrement(Today, key, tenant, 4, 400, 10.5, 1000, 1, 2),
            new UsageIncrement(Today.AddDays(-2), key, tenant, 3, 90, 3.25, 100, 0, 0),
            new UsageIncrement(Today.AddDays(-7), key, tenant, 9, 900, 1, 900, 0, 0),
            new UsageIncrement(Today, otherKey, tenant, 1, 5, 0.5, 7, 0, 0),
        ], [], 17));
        var query = new UsageQuery(new UsageRepository(store.Db, Clock));

        var week = await query.ForApiKeyAsync(key, 7);

        // The day seven days back is outside a 7-day window (today is day 1); yesterday had no usage and is absent.
        Assert.Equal([new UsageReportRow("2025-06-30", 4, 400, 250, 10.5), new UsageReportRow("2025-06-28", 3, 90, 33.33, 3.25)], week);
        Assert.Equal(3, (await query.ForApiKeyAsync(key, 8)).Count);
        Assert.Equal(new UsageReportRow("2025-06-30", 5, 405, 201.4, 11), (await query.ForTenantAsync(tenant, 1)).Single());
        Assert.Empty(await query.ForApiKeyAsync(Guid.NewGuid(), 90));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(91)]
    [InlineData(-1)]
    public async Task Rejects_windows_outside_one_to_ninety_days(int days)
    {
        await using var store = await StorageTestStore.CreateSqliteAsync();
        var query = new UsageQuery(new UsageRepository(store.Db, Clock));

        Assert.False(UsageQuery.IsValidDays(days));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => query.ForApiKeyAsync(Guid.NewGuid(), days));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => query.ForTenantAsync(Guid.NewGuid(), days));
    }

    [Fact]
    public void Serializes_with_the_seeds_field_names()
    {
        var json = JsonSerializer.Serialize(new UsageReportRow("2025-06-30", 4, 400, 250.5, 10.5));

        Assert.Equal("""{"day":"2025-06-30","requests":4,"characters":400,"avg_latency_ms":250.5,"audio_seconds":10.5}""", json);
    }
}
