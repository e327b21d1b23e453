using System.Diagnostics;
using CallWaiting.Server.ApiKeys;
using CallWaiting.Server.Observability;
using CallWaiting.Server.Storage;
using CallWaiting.Server.Tts;
using CallWaiting.Server.Voices;
using CallWaiting.Speech.Engines.Onnx;
using CallWaiting.Speech.Synthesis;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Prometheus;

namespace CallWaiting.Server.Hosting;

/// <summary>
/// Start-up before the first request: migrate the database and start the engine workers (concurrently, with the text
/// front end's warm-up), seed the voices table from the catalog, and bootstrap an empty database with the default
/// tenant and one key, printed once, while every worker synthesizes once (<see cref="SpeechWarmup"/>). Registered
/// first, so it also stops last, after the server has drained its requests.
/// </summary>
public sealed partial class ServerInitializer(
    DatabaseMigrator migrator,
    VoiceRepository voices,
    KeyService keys,
    SpeechHost speech,
    ServerMetrics metrics,
    SystemUsage system,
    IOptions<SpeechHostOptions> speechOptions,
    IOptions<BootstrapOptions> bootstrap,
    IOptions<OnnxOptions> onnxOptions,
    IOptions<StorageOptions> storage,
    TimeProvider time,
    ServerConsole console,
    ILoggerFactory loggers) : IHostedService
{
    private readonly ILogger _logger = loggers.CreateLogger<ServerInitializer>();

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var options = speechOptions.Value;
        var textWarmup = SpeechWarmup.WarmTextFrontEndAsync();
        var runtimeStart = SpeechRuntime.StartAsync(new SpeechRuntimeOptions
        {
            WorkerCount = options.Workers,
            QueueCapacity = options.QueueCapacity,
            RequestTimeout = options.RequestTimeout,
            ModelsDirectory = storage.Value.ModelsPath,
            Onnx = onnxOptions.Value,
        }, loggers.CreateLogger("CallWaiting.Speech"), cancellationToken);

        SpeechRuntime runtime;
        try
        {
            var migration = await migrator.MigrateAsync(cancellationToken);
            LogMigrated(_logger, migration.CurrentVersion, migration.Applied.Count);
        }
        finally
        {
            runtime = await runtimeStart;
            speech.Set(runtime);
        }

        // The warm-up runs beside the database work; the server listens (and /ready answers) only once both are done.
        var warmupClock = Stopwatch.StartNew();
        var warmup = SpeechWarmup.RunAsync(runtime, options.Workers, textWarmup, cancellationToken);
        await VoiceSeeder.SeedAsync(voices, runtime.Synthesizer.Catalog, time, cancellationToken);
        var configured = bootstrap.Value.Key;
        if (await keys.BootstrapAsync(configured, cancellationToken) is { } issued)
        {
            if (string.IsNullOrEmpty(configured)) console.WriteLine($"API key: {issued.Key}");
            LogBootstrapped(_logger, issued.Prefix, issued.TenantId);
        }

        try
        {
            await warmup;
            LogWarm(_logger, warmupClock.Elapsed.TotalMilliseconds);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // A cold server still serves; an engine that cannot speak shows in its requests' errors, not as a failed start.
            LogWarmupFailed(_logger, e);
        }

        Metrics.DefaultRegistry.AddBeforeCollectCallback(() =>
        {
            if (speech.Runtime is { } current)
            {
                metrics.EngineQueueDepth.Set(current.Pool.QueueDepth);
                metrics.EngineBusyWorkers.Set(current.Pool.BusyWorkers);
                metrics.EngineWorkerRestarts.Set(current.Pool.WorkerRestarts);
                metrics.UnknownPhonemes.IncTo((current.Piper?.UnknownPhonemes ?? 0) + (current.Kokoro?.UnknownPhonemes ?? 0));
            }

            if (system.SampleCpuPercent() is { } cpu) metrics.CpuPercent.Set(cpu);
            if (SystemUsage.SampleMemoryPercent() is { } memory) metrics.MemoryPercent.Set(memory);
        });
        LogReady(_logger, runtime.Synthesizer.Catalog.Voices.Count, options.Workers);
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken) => await speech.DisposeAsync();

    [LoggerMessage(Level = LogLevel.Information, Message = "Database schema at version {Version} ({Applied} migrations applied now)")]
    private static partial void LogMigrated(ILogger logger, int version, int applied);

    [LoggerMessage(Level = LogLevel.Information, Message = "Empty database bootstrapped: default tenant {TenantId} and key {KeyPrefix}…")]
    private static partial void LogBootstrapped(ILogger logger, string keyPrefix, Guid tenantId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Warm-up done in {Milliseconds:0} ms: every worker has spoken with every engine, every codec has encoded")]
    private static partial void LogWarm(ILogger logger, double milliseconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Warm-up failed; the first requests may be slow")]
    private static partial void LogWarmupFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Speech ready: {Voices} voices on {Workers} warm workers")]
    private static partial void LogReady(ILogger logger, int voices, int workers);
}
