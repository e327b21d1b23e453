using CallWaiting.Server.Metering;
using CallWaiting.Server.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace CallWaiting.Server.Tests.Metering;

public sealed class MeteringSqliteBusyTests : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"cw-metering-busy-{Guid.NewGuid():N}");
    private IDbConnectionFactory _db = null!;
    private StorageOptions _options = null!;

    public async Task InitializeAsync()
    {
        // Short waits for the file lock so that a writer holding it for a few seconds makes our writes fail.
        _options = StorageOptions.ForSqlite(Path.Combine(_directory, StorageOptions.SqliteFileName), _directory)
            with { SqliteBusyTimeoutMilliseconds = 50, CommandTimeoutSeconds = 1 };
        _db = ConnectionFactories.Create(_options);
        await new DatabaseMigrator(_db).MigrateAsync();
    }

    public async Task DisposeAsync()
    {
        await _db.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Another_writer_holding_the_lock_delays_but_loses_nothing()
    {
        await using var test = new MeteringTestMeter(new MeteringStore(_db));
        var keys = MeteringTestEvents.Keys(3);
        var events = Enumerable.Range(0, 2000).Select(n => MeteringTestEvents.Make(keys, 4, n)).ToList();
        await test.Meter.StartAsync(CancellationToken.None);

        await using (var blocker = new SqliteConnection($"Data Source={_options.SqlitePath};Pooling=False"))
        {
            await blocker.OpenAsync();
            await using var hold = await blocker.BeginTransactionAsync();
            await using (var command = blocker.CreateCommand())
            {
                // A real write makes the transaction hold SQLite's single write lock until it ends.
                command.CommandText = "INSERT INTO metering_batches (batch_id, committed_at, usage_events, request_logs) VALUES ('blocker', '2025-01-01T00:00:00.0000000Z', 0, 0)";
                await command.ExecuteNonQueryAsync();
            }

            events.ForEach(test.Meter.Record);
            await MeteringTestMeter.WaitUntilAsync(() => test.Metrics.WriteFailures.Value >= 1, "a write has failed on the busy database");
            Assert.Equal(0, await MeteringTestMeter.CountAsync(_db, "usage_counters"));
            await hold.RollbackAsync();
        }

        await test.WaitUntilWrittenAsync();

        Assert.Contains(test.Logger.Messages(LogLevel.Warning), m => m.Contains("database is locked", StringComparison.Ordinal));
        Assert.Equal(MeteringTestMeter.Expected(events), await MeteringTestMeter.ReadCountersAsync(_db));
        Assert.Equal(events.Count, test.Written(MeteringMetrics.UsageKind));
    }
}
