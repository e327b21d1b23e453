using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;
using CallWaiting.Server.Cache;
using CallWaiting.Server.Health;
using CallWaiting.Server.Hosting;
using CallWaiting.Server.Metering;
using CallWaiting.Server.Observability;
using CallWaiting.Server.Redis;
using CallWaiting.Server.Storage;
using CallWaiting.Server.Tts;
using Microsoft.Extensions.Options;

namespace CallWaiting.Server.Admin;

/// <summary>
/// Builds GET /v1/admin/system from the sources /health, /ready and /metrics already read (the health probe, the worker
/// pool, the cache and metering instruments), so the page never disagrees with them and nothing is computed twice.
/// </summary>
public sealed class SystemReport(HealthProbe probe, SpeechHost speech, AudioCacheMetrics cache, MeteringMetrics metering,
    IDbConnectionFactory db, IOptions<SpeechHostOptions> speechOptions, TimeProvider time, RedisConnection? redis = null)
{
    private static readonly string Version = typeof(SystemReport).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(SystemReport).Assembly.GetName().Version?.ToString() ?? "unknown";

    private static readonly DateTimeOffset StartedAt = new(Process.GetCurrentProcess().StartTime.ToUniversalTime(), TimeSpan.Zero);

    /// <summary>Runs the health checks and reads the rest.</summary>
    public async Task<AdminSystemResponse> BuildAsync(CancellationToken cancellationToken)
    {
        var components = await probe.CheckAsync(cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var runtime = speech.Runtime;
        var pool = runtime?.Pool;
        var lookups = cache.LookupCounts();
        var total = lookups.Values.Sum();
        var hits = total - lookups.GetValueOrDefault("miss");
        return new AdminSystemResponse(
            components.OverallStatus(),
            now,
            new SystemBuild(Version, RuntimeInformation.FrameworkDescription, Environment.MachineName, StartedAt,
                (long)(now - StartedAt).TotalSeconds, runtime?.OnnxProvider),
            new SystemDatabase(db.Dialect.Provider == DatabaseProvider.Postgres ? "postgres" : "sqlite", components.Database),
            new SystemRedis(redis is not null, components.Redis),
            probe.Engines(),
            probe.Models(),
            new SystemWorkers(speechOptions.Value.Workers, pool?.WorkerProcessIds ?? [], pool?.BusyWorkers ?? 0, pool?.QueueDepth ?? 0, pool?.WorkerRestarts ?? 0),
            new SystemCache(total, hits, total == 0 ? 0 : Math.Round((double)hits / total, 4), lookups),
            (long)metering.QueueDepth.Value,
            SystemUsage.SampleMemoryPercent() is { } memory ? Math.Round(memory, 1) : null);
    }
}
