using CallWaiting.Speech.Engines;
using CallWaiting.Speech.Text;
using CallWaiting.Speech.Workers;
using Microsoft.Extensions.Logging;

namespace CallWaiting.Speech.Synthesis;

/// <summary>The speech core, assembled: the supervised worker pool, its engines and the synthesizer over them.</summary>
public sealed class SpeechRuntime : IAsyncDisposable
{
    private SpeechRuntime(EngineWorkerPool pool, Synthesizer synthesizer)
    {
        Pool = pool;
        Synthesizer = synthesizer;
    }

    /// <summary>The engine worker pool (for health and metrics).</summary>
    public EngineWorkerPool Pool { get; }

    /// <summary>The synthesizer that serves requests.</summary>
    public Synthesizer Synthesizer { get; }

    /// <summary>Starts the workers (warm) and builds the voice catalog from what they host.</summary>
    public static async Task<SpeechRuntime> StartAsync(SpeechRuntimeOptions? options = null, ILogger? logger = null,
        CancellationToken cancellationToken = default)
    {
        options ??= new SpeechRuntimeOptions();
        var poolOptions = new EngineWorkerPoolOptions { WorkerCount = options.WorkerCount, RequestTimeout = options.RequestTimeout };
        if (options.QueueCapacity is { } capacity) poolOptions.QueueCapacity = capacity;
        var pool = await EngineWorkerPool.StartAsync(poolOptions, logger, cancellationToken).ConfigureAwait(false);
        var synthesizer = new Synthesizer(WorkerEngine.ForAll(pool), new TextFrontEnd(options.Text), options.Synthesis);
        return new SpeechRuntime(pool, synthesizer);
    }

    /// <summary>Stops every worker process.</summary>
    public ValueTask DisposeAsync() => Pool.DisposeAsync();
}
