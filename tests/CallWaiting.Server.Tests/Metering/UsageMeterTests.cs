using CallWaiting.Server.Metering;
using CallWaiting.Server.Storage;
using CallWaiting.Server.Tests.Infrastructure;
using CallWaiting.Server.Tests.Storage;
using Microsoft.Extensions.Logging;

namespace CallWaiting.Server.Tests.Metering;

public sealed class UsageMeterTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    [Theory]
    [InlineData(StorageTestStore.Postgres)]
    [InlineData(StorageTestStore.Sqlite)]
    public async Task Concurrent_producers_add_up_exactly(string dialect)
    {
        const int Producers = 16;
        const int EventsEach = 500;
        await using var store = await StorageTestStore.CreateAsync(dialect, postgres);
        await using var test = new MeteringTestMeter(new MeteringStore(store.Db), MeteringTestMeter.FastOptions with { MaxBatchSize = 200 });
        var keys = MeteringTestEvents.Keys(5);
        var events = Enumerable.Range(0, Producers)
            .SelectMany(p => Enumerable.Range(0, EventsEach).Select(n => MeteringTestEvents.Make(keys, p, n)))
            .ToList();

        await test.Meter.StartAsync(CancellationToken.None);
        using var go = new ManualResetEventSlim();
        var producers = Enumerable.Range(0, Producers).Select(p => Task.Run(() =>
        {
            go.Wait();
            for (var n = 0; n < EventsEach; n++)
            {
                test.Meter.Record(events[(p * EventsEach) + n]);
            }
        })).ToArray();
        go.Set();
        await Task.WhenAll(producers);
        await test.WaitUntilWrittenAsync();

        Assert.Equal(MeteringTestMeter.Expected(events), await MeteringTestMeter.ReadCountersAsync(store.Db));
        Assert.Equal(Producers * EventsEach, test.Written(MeteringMetrics.UsageKind));
        Assert.Equal(0, test.Metrics.QueueDepth.Value);
        Assert.True(test.Metrics.BatchDuration.Count >= 1);
        Assert.Equal(0, test.Metrics.WriteFailures.Value);
    }

    [Theory]
    [InlineData(StorageTestStore.Postgres)]
    [InlineData(StorageTestStore.Sqlite)]
    public async Task Request_logs_are_written_with_their_fields(string dialect)
    {
        await using var store = await StorageTestStore.CreateAsync(dialect, postgres);
        await using var test = new MeteringTestMeter(new MeteringStore(store.Db), MeteringTestMeter.FastOptions with { MaxBatchSize = 64 });
        var key = Guid.NewGuid();
        var tenant = Guid.NewGuid();
        var start = new DateTimeOffset(2025, 4, 1, 8, 0, 0, TimeSpan.Zero);
        var entries = Enumerable.Range(0, 300).Select(i => new RequestLogEntry(
            $"req-{i:D4}",
            i % 3 == 0 ? null : key,
            i % 3 == 0 ? null : tenant,
            i % 2 == 0 ? "/v1/tts" : "/v1/voices",
            i % 2 == 0 ? "POST" : "GET",
            i % 3 == 0 ? 401 : 200,
            i % 2 == 0 ? "emily-en-us" : null,
            i % 2 == 0 ? i * 3 : null,
            12.5 + i,
            i % 3 == 0 ? "Missing API key" : null,
            $"10.0.0.{i % 250}",
            $"agent/{i}",
            i % 4 == 0,
            start.AddTicks(i * 10_000_123L))).ToList();

        await test.Meter.StartAsync(CancellationToken.None);
        foreach (var entry in entries)
        {
            test.Meter.Log(entry);
        }

        await test.WaitUntilWrittenAsync();

        var stored = (await new RequestLogRepository(store.Db).ListRecentAsync(1000)).OrderBy(e => e.RequestId, StringComparer.Ordinal).ToList();
        var expected = entries.Select(e => e with { CreatedAt = StorageTime.Truncate(e.CreatedAt) }).ToList();
        Assert.Equal(expected, stored);
        Assert.Equal(300, test.Written(MeteringMetrics.LogKind));
    }

    [Theory]
    [InlineData(StorageTestStore.Postgres)]
    [InlineData(StorageTestStore.Sqlite)]
    public async Task Log_text_is_made_storable(string dialect)
    {
        await using var store = await StorageTestStore.CreateAsync(dialect, postgres);
        await using var test = new MeteringTestMeter(new MeteringStore(store.Db));
        var hostile = new RequestLogEntry(
            "req-nul", null, null, "/v1/tts", "POST", 400, "emily\0-en-us", 5, 1, new string('e', 5000), null, new string('u', 300) + "\0", false,
            new DateTimeOffset(2025, 4, 1, 8, 0, 0, TimeSpan.Zero));

        await test.Meter.StartAsync(CancellationToken.None);
        test.Meter.Log(hostile);
        await test.WaitUntilWrittenAsync();

        var stored = Assert.Single(await new RequestLogRepository(store.Db).ListRecentAsync(10));
        Assert.Equal("emily-en-us", stored.Voice);
        Assert.Equal(new string('e', 2048), stored.Error);
        Assert.Equal(new string('u', 256), stored.UserAgent);
        Assert.Equal(0, test.Metrics.WriteFailures.Value);
    }

    [Theory]
    [InlineData(StorageTestStore.Postgres)]
    [InlineData(StorageTestStore.Sqlite)]
    public async Task Stop_writes_everything_still_queued(string dialect)
    {
        await using var store = await StorageTestStore.CreateAsync(dialect, postgres);

        // A one-hour flush interval: before StopAsync the writer is still waiting for its first batch to fill.
        await using var test = new MeteringTestMeter(new MeteringStore(store.Db), MeteringTestMeter.FastOptions with { FlushInterval = TimeSpan.FromHours(1), MaxBatchSize = 100_000 });
        var keys = MeteringTestEvents.Keys(3);
        var events = Enumerable.Range(0, 2000).Select(n => MeteringTestEvents.Make(keys, n % 4, n)).ToList();

        await test.Meter.StartAsync(CancellationToken.None);
        foreach (var usage in events)
        {
            test.Meter.Record(usage);
        }

        test.Meter.Log(new RequestLogEntry("req-last", keys[0].Key, keys[0].Tenant, "/v1/tts", "POST", 200, "emily-en-us", 10, 30, null, "127.0.0.1", "t", false, MeteringTestEvents.Day1));
        Assert.Equal(0, await MeteringTestMeter.CountAsync(store.Db, "usage_counters"));

        await test.Meter.StopAsync(CancellationToken.None);

        Assert.Equal(0, test.Meter.PendingCount);
        Assert.Equal(MeteringTestMeter.Expected(events), await MeteringTestMeter.ReadCountersAsync(store.Db));
        Assert.Equal(1, await MeteringTestMeter.CountAsync(store.Db, "request_logs"));
    }

    [Fact]
    public async Task Record_after_stop_is_reported_not_thrown()
    {
        await using var store = await StorageTestStore.CreateSqliteAsync();
        await using var test = new MeteringTestMeter(new MeteringStore(store.Db));
        var keys = MeteringTestEvents.Keys(1);
        await test.Meter.StartAsync(CancellationToken.None);
        await test.Meter.StopAsync(CancellationToken.None);

        test.Meter.Record(MeteringTestEvents.Make(keys, 0, 1));
        test.Meter.Log(new RequestLogEntry("req-late", null, null, "/health", "GET", 200, null, null, 1, null, null, null, false, MeteringTestEvents.Day1));
        test.Meter.Record(default);

        Assert.Equal(1, test.Dropped(MeteringMetrics.UsageKind, "after_shutdown"));
        Assert.Equal(1, test.Dropped(MeteringMetrics.LogKind, "after_shutdown"));
        Assert.Equal(1, test.Dropped(MeteringMetrics.UsageKind, "invalid"));
        Assert.Contains(test.Logger.Messages(LogLevel.Critical), m => m.Contains(keys[0].Key.ToString(), StringComparison.Ordinal));
        Assert.Equal(0, test.Meter.PendingCount);
    }

    [Fact]
    public async Task Logs_beyond_the_bound_are_dropped_but_usage_is_kept()
    {
        await using var store = await StorageTestStore.CreateSqliteAsync();

        // Not started: everything stays queued, so the bound is reached deterministically.
        await using var test = new MeteringTestMeter(new MeteringStore(store.Db), MeteringTestMeter.FastOptions with { MaxPendingLogs = 10 });
        var keys = MeteringTestEvents.Keys(1);
        var events = Enumerable.Range(0, 50).Select(n => MeteringTestEvents.Make(keys, 0, n)).ToList();
        for (var i = 0; i < 25; i++)
        {
            test.Meter.Log(new RequestLogEntry($"req-{i}", null, null, "/health", "GET", 200, null, null, 1, null, null, null, false, MeteringTestEvents.Day1));
        }

        events.ForEach(test.Meter.Record);

        Assert.Equal(15, test.Dropped(MeteringMetrics.LogKind, "log_overflow"));
        Assert.Single(test.Logger.Messages(LogLevel.Warning));
        Assert.Equal(60, test.Meter.PendingCount);

        await test.Meter.StopAsync(CancellationToken.None);
        Assert.Equal(10, await MeteringTestMeter.CountAsync(store.Db, "request_logs"));
        Assert.Equal(MeteringTestMeter.Expected(events), await MeteringTestMeter.ReadCountersAsync(store.Db));
    }
}
