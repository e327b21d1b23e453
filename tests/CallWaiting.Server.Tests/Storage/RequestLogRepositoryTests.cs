using CallWaiting.Server.Storage;
using CallWaiting.Server.Tests.Infrastructure;
using Dapper;

namespace CallWaiting.Server.Tests.Storage;

public sealed class RequestLogRepositoryTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    [Theory]
    [InlineData(StorageTestStore.Postgres)]
    [InlineData(StorageTestStore.Sqlite)]
    public async Task Batch_insert_stores_every_field_across_statement_chunks(string dialect)
    {
        await using var store = await StorageTestStore.CreateAsync(dialect, postgres);
        var logs = new RequestLogRepository(store.Db);
        var tenant = Guid.NewGuid();
        var key = Guid.NewGuid();
        var start = new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero);
        var entries = Enumerable.Range(0, 250).Select(i => new RequestLogEntry(
            $"req-{i}",
            i % 5 == 0 ? null : key,
            i % 5 == 0 ? null : tenant,
            "/v1/tts",
            "POST",
            i % 7 == 0 ? 429 : 200,
            i % 2 == 0 ? "emily-en-us" : null,
            i % 2 == 0 ? i : null,
            i + 0.5,
            i % 7 == 0 ? "Rate limit exceeded: 120 requests per minute" : null,
            "127.0.0.1",
            "it's \"quoted\" \\ agent",
            i % 3 == 0,
            start.AddMilliseconds(i))).ToList();

        await logs.InsertBatchAsync(entries);

        await using var connection = await store.Db.OpenConnectionAsync();
        Assert.Equal(250L, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM request_logs"));
        var recent = await logs.ListRecentAsync(1000);
        Assert.Equal(entries.AsEnumerable().Reverse(), recent);

        var tenantOnly = await logs.ListRecentAsync(1000, tenant);
        Assert.Equal(200, tenantOnly.Count);
        Assert.All(tenantOnly, entry => Assert.Equal(tenant, entry.TenantId));
        Assert.Equal(entries[^1], Assert.Single(await logs.ListRecentAsync(1)));
    }
}
