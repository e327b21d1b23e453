using CallWaiting.Server.Metering;
using CallWaiting.Server.Storage;
using CallWaiting.Server.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CallWaiting.Server.Tests.Metering;

public sealed class MeteringOutageTests : IAsyncLifetime
{
    // A cluster of this class's own: the tests stop and start it.
    private PrivatePostgresCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await PrivatePostgresCluster.CreateAsync();

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task An_outage_loses_nothing_and_counts_nothing_twice()
    {
        await using var db = await OpenFreshDatabaseAsync();
        await using var test = new MeteringTestMeter(new MeteringStore(db));
        var keys = MeteringTestEvents.Keys(4);
        var before = Enumerable.Range(0, 1500).Select(n => MeteringTestEvents.Make(keys, 1, n)).ToList();
        var during = Enumerable.Range(0, 3000).Select(n => MeteringTestEvents.Make(keys, 2, n)).ToList();
        await test.Meter.StartAsync(CancellationToken.None);

        before.ForEach(test.Meter.Record);
        await test.WaitUntilWrittenAsync();

        await _cluster.StopAsync();
        try
        {
            // Producers keep going while the database is gone: Record must neither throw nor wait.
            foreach (var usage in during)
            {
                test.Meter.Record(usage);
                test.Meter.Log(Log(usage));
            }

            await MeteringTestMeter.WaitUntilAsync(() => test.Metrics.WriteFailures.Value >= 3, "writes have failed and been retried");
            Assert.True(test.Meter.PendingCount > 0);
        }
        finally
        {
            await _cluster.StartAsync();
        }

        await test.WaitUntilWrittenAsync();

        Assert.Equal(MeteringTestMeter.Expected(before.Concat(during)), await MeteringTestMeter.ReadCountersAsync(db));
        Assert.Equal(during.Count, await MeteringTestMeter.CountAsync(db, "request_logs"));
        Assert.Equal(before.Count + during.Count, test.Written(MeteringMetrics.UsageKind));
        Assert.Contains(test.Logger.Messages(LogLevel.Information), m => m.Contains("recovered", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Shutdown_during_an_outage_gives_up_at_the_deadline_and_reports_the_amounts()
    {
        await using var db = await OpenFreshDatabaseAsync();
        await using var test = new MeteringTestMeter(new MeteringStore(db), MeteringTestMeter.FastOptions with { ShutdownFlushTimeout = TimeSpan.FromSeconds(2) });
        var keys = MeteringTestEvents.Keys(2);
        var events = Enumerable.Range(0, 200).Select(n => MeteringTestEvents.Make(keys, 3, n)).ToList();
        await test.Meter.StartAsync(CancellationToken.None);

        await _cluster.StopAsync();
        try
        {
            events.ForEach(test.Meter.Record);
            test.Meter.Log(Log(events[0]));
            await test.Meter.StopAsync(CancellationToken.None);
        }
        finally
        {
            await _cluster.StartAsync();
        }

        Assert.Equal(0, test.Meter.PendingCount);
        Assert.Equal(events.Count, test.Dropped(MeteringMetrics.UsageKind, "shutdown_deadline"));
        Assert.Equal(1, test.Dropped(MeteringMetrics.LogKind, "shutdown_deadline"));
        var critical = test.Logger.Messages(LogLevel.Critical).ToList();
        Assert.Contains(critical, m => m.Contains($"{events.Count} usage events", StringComparison.Ordinal));
        foreach (var row in MeteringTestMeter.Expected(events))
        {
            Assert.Contains(critical, m => m.Contains($"key {row.ApiKeyId}", StringComparison.Ordinal)
                && m.Contains($"day {row.Day:yyyy-MM-dd}", StringComparison.Ordinal)
                && m.Contains($"requests {row.Requests} characters {row.Characters} ", StringComparison.Ordinal));
        }

        Assert.Equal(0, await MeteringTestMeter.CountAsync(db, "usage_counters"));
    }

    private static RequestLogEntry Log(UsageEvent usage) => new(
        Guid.NewGuid().ToString("N"), usage.ApiKeyId, usage.TenantId, "/v1/tts", "POST", 200, "emily-en-us", usage.Characters,
        usage.SynthesisMilliseconds, null, "127.0.0.1", "outage-test", usage.Cached, usage.Timestamp);

    private async Task<IDbConnectionFactory> OpenFreshDatabaseAsync()
    {
        var name = $"cw_metering_{Guid.NewGuid():N}"[..24];
        await using (var connection = new NpgsqlConnection(_cluster.UnpooledConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync();
        }

        var connectionString = new NpgsqlConnectionStringBuilder(_cluster.ConnectionString) { Database = name, Pooling = true }.ConnectionString;
        var db = ConnectionFactories.Create(StorageOptions.ForPostgres(connectionString, Path.GetTempPath()) with { ConnectTimeoutSeconds = 3, CommandTimeoutSeconds = 5 });
        await new DatabaseMigrator(db).MigrateAsync();
        return db;
    }
}
