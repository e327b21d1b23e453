using CallWaiting.Server.Metering;
using CallWaiting.Server.Storage;
using CallWaiting.Server.Tests.Infrastructure;
using CallWaiting.Server.Tests.Storage;

namespace CallWaiting.Server.Tests.Metering;

public sealed class MeteringStoreTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    [Theory]
    [InlineData(StorageTestStore.Postgres)]
    [InlineData(StorageTestStore.Sqlite)]
    public async Task A_batch_is_applied_once_however_often_it_is_written(string dialect)
    {
        await using var store = await StorageTestStore.CreateAsync(dialect, postgres);
        var metering = new MeteringStore(store.Db);
        var keys = MeteringTestEvents.Keys(2);
        var events = Enumerable.Range(0, 40).Select(n => MeteringTestEvents.Make(keys, 1, n)).ToList();
        var log = new RequestLogEntry("req-1", keys[0].Key, keys[0].Tenant, "/v1/tts", "POST", 200, "emily-en-us", 4, 9, null, null, null, true, MeteringTestEvents.Day1);
        var batch = new MeteringBatch(Guid.NewGuid(), MeteringTestMeter.Expected(events), [log], events.Count);

        Assert.True(await metering.WriteAsync(batch));
        Assert.False(await metering.WriteAsync(batch));
        Assert.False(await metering.WriteAsync(batch));

        Assert.True(await metering.IsCommittedAsync(batch.Id));
        Assert.Equal(MeteringTestMeter.Expected(events), await MeteringTestMeter.ReadCountersAsync(store.Db));
        Assert.Equal(1, await MeteringTestMeter.CountAsync(store.Db, "request_logs"));
    }

    [Theory]
    [InlineData(StorageTestStore.Postgres)]
    [InlineData(StorageTestStore.Sqlite)]
    public async Task Distinct_batches_add_up(string dialect)
    {
        await using var store = await StorageTestStore.CreateAsync(dialect, postgres);
        var metering = new MeteringStore(store.Db);
        var keys = MeteringTestEvents.Keys(3);
        var first = Enumerable.Range(0, 30).Select(n => MeteringTestEvents.Make(keys, 2, n)).ToList();
        var second = Enumerable.Range(30, 50).Select(n => MeteringTestEvents.Make(keys, 3, n)).ToList();

        Assert.True(await metering.WriteAsync(new MeteringBatch(Guid.NewGuid(), MeteringTestMeter.Expected(first), [], first.Count)));
        Assert.True(await metering.WriteAsync(new MeteringBatch(Guid.NewGuid(), MeteringTestMeter.Expected(second), [], second.Count)));

        Assert.Equal(MeteringTestMeter.Expected(first.Concat(second)), await MeteringTestMeter.ReadCountersAsync(store.Db));
        Assert.Equal(2, await MeteringTestMeter.CountAsync(store.Db, "metering_batches"));
    }

    [Theory]
    [InlineData(StorageTestStore.Postgres)]
    [InlineData(StorageTestStore.Sqlite)]
    public async Task A_retry_after_a_lost_acknowledgement_counts_nothing_twice(string dialect)
    {
        await using var store = await StorageTestStore.CreateAsync(dialect, postgres);
        var lossy = new MeteringLostAcknowledgementStore(new MeteringStore(store.Db));
        await using var test = new MeteringTestMeter(lossy);
        var keys = MeteringTestEvents.Keys(4);
        var events = Enumerable.Range(0, 1000).Select(n => MeteringTestEvents.Make(keys, n % 3, n)).ToList();

        await test.Meter.StartAsync(CancellationToken.None);
        events.ForEach(test.Meter.Record);
        await test.WaitUntilWrittenAsync();

        Assert.True(lossy.AcknowledgementsLost >= 1);
        Assert.Equal(lossy.AcknowledgementsLost, test.Metrics.WriteFailures.Value);
        Assert.Equal(MeteringTestMeter.Expected(events), await MeteringTestMeter.ReadCountersAsync(store.Db));
        Assert.Equal(events.Count, test.Written(MeteringMetrics.UsageKind));
    }

    [Fact]
    public async Task Old_batch_ids_are_pruned()
    {
        await using var store = await StorageTestStore.CreateSqliteAsync();
        var clock = new TestClock(new DateTimeOffset(2025, 5, 1, 0, 0, 0, TimeSpan.Zero));
        var metering = new MeteringStore(store.Db, clock, TimeSpan.FromDays(2));
        var old = new MeteringBatch(Guid.NewGuid(), [], [], 0);
        await metering.WriteAsync(old);

        clock.Advance(TimeSpan.FromDays(3));
        var recent = new MeteringBatch(Guid.NewGuid(), [], [], 0);
        await metering.WriteAsync(recent);

        Assert.False(await metering.IsCommittedAsync(old.Id));
        Assert.True(await metering.IsCommittedAsync(recent.Id));
    }

    [Theory]
    [InlineData("plain", 10, "plain")]
    [InlineData("a\0b\0c", 10, "abc")]
    [InlineData("abcdef", 4, "abcd")]
    [InlineData("abc\U0001F600", 4, "abc")]
    public void CleanRemovesNulAndCutsWithoutSplittingSurrogates(string input, int max, string expected) =>
        Assert.Equal(expected, RequestLogRepository.Clean(input, max));

    [Fact]
    public void Rejects_a_batch_without_id() =>
        Assert.Throws<ArgumentException>(() => new MeteringBatch(Guid.Empty, [], [], 0));
}
