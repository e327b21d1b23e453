using System.Text.Json.Serialization;
using CallWaiting.Server.Health;

namespace CallWaiting.Server.Admin;

/// <summary>GET /v1/admin/system's body: this replica's view of the service, from the sources /health, /ready and /metrics read.</summary>
/// <param name="Status">healthy, degraded or unhealthy, as /health says.</param>
/// <param name="CheckedAt">When the checks ran.</param>
/// <param name="Build">What is running.</param>
/// <param name="Database">The database.</param>
/// <param name="Redis">Redis.</param>
/// <param name="Engines">Each speech engine.</param>
/// <param name="Models">Each model file found at start-up.</param>
/// <param name="Workers">The engine worker pool.</param>
/// <param name="Cache">The audio cache since this replica started.</param>
/// <param name="MeteringQueueDepth">Usage events and request logs not yet written to the database.</param>
/// <param name="MemoryPercent">Whole-machine memory in use, when readable.</param>
public sealed record AdminSystemResponse(
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("checked_at")] DateTimeOffset CheckedAt,
    [property: JsonPropertyName("build")] SystemBuild Build,
    [property: JsonPropertyName("database")] SystemDatabase Database,
    [property: JsonPropertyName("redis")] SystemRedis Redis,
    [property: JsonPropertyName("engines")] IReadOnlyList<EngineHealth> Engines,
    [property: JsonPropertyName("models")] IReadOnlyList<ModelHealth> Models,
    [property: JsonPropertyName("workers")] SystemWorkers Workers,
    [property: JsonPropertyName("cache")] SystemCache Cache,
    [property: JsonPropertyName("metering_queue_depth")] long MeteringQueueDepth,
    [property: JsonPropertyName("memory_percent")] double? MemoryPercent);

/// <summary>What is running.</summary>
/// <param name="Version">The server's informational version (with the source revision when built from git).</param>
/// <param name="Runtime">The .NET runtime.</param>
/// <param name="Instance">The host name of this replica.</param>
/// <param name="StartedAt">When this process started.</param>
/// <param name="UptimeSeconds">Seconds since then.</param>
/// <param name="OnnxProvider">The ONNX Runtime execution provider of the neural engines, when any is loaded.</param>
public sealed record SystemBuild(
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("runtime")] string Runtime,
    [property: JsonPropertyName("instance")] string Instance,
    [property: JsonPropertyName("started_at")] DateTimeOffset StartedAt,
    [property: JsonPropertyName("uptime_seconds")] long UptimeSeconds,
    [property: JsonPropertyName("onnx_provider")] string? OnnxProvider);

/// <summary>The database.</summary>
/// <param name="Provider">postgres or sqlite.</param>
/// <param name="Healthy">Whether it answered the health check.</param>
public sealed record SystemDatabase(
    [property: JsonPropertyName("provider")] string Provider,
    [property: JsonPropertyName("healthy")] bool Healthy);

/// <summary>Redis.</summary>
/// <param name="Configured">Whether CALLWAITING_REDIS is set (otherwise limits and cache are in process).</param>
/// <param name="Healthy">Whether it answered the health check (true when not configured, as /health says).</param>
public sealed record SystemRedis(
    [property: JsonPropertyName("configured")] bool Configured,
    [property: JsonPropertyName("healthy")] bool Healthy);

/// <summary>The engine worker pool.</summary>
/// <param name="Configured">Workers the pool keeps (Speech:Workers).</param>
/// <param name="ProcessIds">Live worker processes.</param>
/// <param name="Busy">Workers serving a request now.</param>
/// <param name="QueueDepth">Requests waiting for a worker.</param>
/// <param name="Restarts">Workers started to replace failed ones since the server started.</param>
public sealed record SystemWorkers(
    [property: JsonPropertyName("configured")] int Configured,
    [property: JsonPropertyName("process_ids")] IReadOnlyList<int> ProcessIds,
    [property: JsonPropertyName("busy")] int Busy,
    [property: JsonPropertyName("queue_depth")] int QueueDepth,
    [property: JsonPropertyName("restarts")] long Restarts);

/// <summary>The audio cache's lookups since this replica started.</summary>
/// <param name="Lookups">All lookups.</param>
/// <param name="Hits">Lookups a tier answered.</param>
/// <param name="HitRate">Hits ÷ lookups (0 before the first), rounded to 0.0001.</param>
/// <param name="ByResult">Lookups by the tier that answered (memory, redis, disk) or miss.</param>
public sealed record SystemCache(
    [property: JsonPropertyName("lookups")] long Lookups,
    [property: JsonPropertyName("hits")] long Hits,
    [property: JsonPropertyName("hit_rate")] double HitRate,
    [property: JsonPropertyName("by_result")] IReadOnlyDictionary<string, long> ByResult);
