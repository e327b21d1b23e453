using CallWaiting.Server.Metering;
using CallWaiting.Server.Storage;
using Dapper;
using Prometheus;

namespace CallWaiting.Server.Tests.Metering;

/// <summary>A usage meter over a store with its own metrics registry and captured log, plus the checks tests share.</summary>
internal sealed class MeteringTestMeter : IAsyncDisposable
{
    /// <summary>Longest a test waits for the writer to reach a state (generous: the box is shared and slow).</summary>
    public static readonly TimeSpan PatienceLimit = TimeSpan.FromSeconds(90);

    public MeteringTestMeter(IMeteringStore store, MeteringOptions? options = null)
    {
        Metrics = new MeteringMetrics(Prometheus.Metrics.NewCustomRegistry());
        Meter = new UsageMeter(store, options ?? FastOptions, Metrics, Logger);
    }

    /// <summary>Short intervals so tests do not wait on production pacing.</summary>
    public static MeteringOptions FastOptions { get; } = new()
    {
        FlushInterval = TimeSpan.FromMilliseconds(20),
        RetryInitialDelay = TimeSpan.FromMilliseconds(20),
        RetryMaxDelay = TimeSpan.FromMilliseconds(300),
        ShutdownFlushTimeout = TimeSpan.FromSeconds(60),
    };

    public UsageMeter Meter { get; }

    public MeteringMetrics Metrics { get; }

    public TestLogger<UsageMeter> Logger { get; } = new();

    public double Written(string kind) => Metrics.Written.WithLabels(kind).Value;

    public double Dropped(string kind, string reason) => Metrics.Dropped.WithLabels(kind, reason).Value;

    /// <summary>Waits until <paramref name="condition"/> holds; fails the test with <paramref name="what"/> after <see cref="PatienceLimit"/>.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + PatienceLimit;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out waiting until {what}.");
            }

            await Task.Delay(20);
        }
    }

    public Task WaitUntilWrittenAsync() => WaitUntilAsync(() => Meter.PendingCount == 0, "the meter has written everything");

    public ValueTask DisposeAsync() => Meter.DisposeAsync();

    /// <summary>Every usage_counters row, as exact integers (and the audio sum), ordered by day and key.</summary>
    public static async Task<List<UsageIncrement>> ReadCountersAsync(IDbConnectionFactory db)
    {
        await using var connection = await db.OpenConnectionAsync();
        var rows = await connection.QueryAsync<CounterRow>(
            """
            SELECT day AS Day, api_key_id AS ApiKeyId, tenant_id AS TenantId, CAST(requests AS BIGINT) AS Requests,
                   CAST(characters AS BIGINT) AS Characters, audio_seconds AS AudioSeconds, CAST(ms_synth AS BIGINT) AS MsSynth,
                   CAST(errors AS BIGINT) AS Errors, CAST(cached_requests AS BIGINT) AS CachedRequests
            FROM usage_counters
            """);
        return rows
            .Select(r => new UsageIncrement(r.Day, r.ApiKeyId, r.TenantId, r.Requests, r.Characters, r.AudioSeconds, r.MsSynth, r.Errors, r.CachedRequests))
            .OrderBy(r => r.Day).ThenBy(r => r.ApiKeyId)
            .ToList();
    }

    /// <summary>The sums a list of events must produce, one row per (day, key), ordered like <see cref="ReadCountersAsync"/>.</summary>
    public static List<UsageIncrement> Expected(IEnumerable<UsageEvent> events) => events
        .GroupBy(e => (e.Day, e.ApiKeyId))
        .Select(g => new UsageIncrement(
            g.Key.Day,
            g.Key.ApiKeyId,
            g.First().TenantId,
            g.LongCount(),
            g.Sum(e => (long)e.Characters),
            g.Sum(e => e.AudioSeconds),
            g.Sum(e => e.SynthesisMilliseconds),
            g.LongCount(e => e.Error),
            g.LongCount(e => e.Cached)))
        .OrderBy(r => r.Day).ThenBy(r => r.ApiKeyId)
        .ToList();

    /// <summary>Count of rows in a table.</summary>
    public static async Task<long> CountAsync(IDbConnectionFactory db, string table)
    {
        await using var connection = await db.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {table}");
    }

    private sealed class CounterRow
    {
        public DateOnly Day { get; set; }

        public Guid ApiKeyId { get; set; }

        public Guid TenantId { get; set; }

        public long Requests { get; set; }

        public long Characters { get; set; }

        public double AudioSeconds { get; set; }

        public long MsSynth { get; set; }

        public long Errors { get; set; }

        public long CachedRequests { get; set; }
    }
}
