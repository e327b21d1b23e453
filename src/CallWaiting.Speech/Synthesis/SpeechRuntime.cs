using CallWaiting.Speech.Engines;
using CallWaiting.Speech.Engines.Kokoro;
using CallWaiting.Speech.Engines.Onnx;
using CallWaiting.Speech.Engines.Piper;
using CallWaiting.Speech.Text;
using CallWaiting.Speech.Workers;
using Microsoft.Extensions.Logging;

namespace CallWaiting.Speech.Synthesis;

/// <summary>
/// The speech core, assembled: the supervised worker pool, the in-process neural engines (Piper through ONNX
/// Runtime: Piper and Kokoro, each model loaded and warmed once), and the synthesizer over all of them.
/// </summary>
public sealed partial class SpeechRuntime : IAsyncDisposable
{
    private SpeechRuntime(EngineWorkerPool pool, Synthesizer synthesizer, PiperEngine? piper, KokoroEngine? kokoro, IReadOnlyList<ModelStatus> models,
        string? onnxProvider)
    {
        Pool = pool;
        Synthesizer = synthesizer;
        Piper = piper;
        Kokoro = kokoro;
        Models = models;
        OnnxProvider = onnxProvider;
    }

    /// <summary>The engine worker pool (for health and metrics).</summary>
    public EngineWorkerPool Pool { get; }

    /// <summary>The synthesizer that serves requests.</summary>
    public Synthesizer Synthesizer { get; }

    /// <summary>The Piper engine, when at least one Piper model loaded.</summary>
    public PiperEngine? Piper { get; }

    /// <summary>The Kokoro engine, when at least one Kokoro model folder loaded.</summary>
    public KokoroEngine? Kokoro { get; }

    /// <summary>Every model file found at start-up, loaded or skipped with its reason.</summary>
    public IReadOnlyList<ModelStatus> Models { get; }

    /// <summary>The ONNX Runtime execution provider in use (cpu or cuda); null when no models folder was given.</summary>
    public string? OnnxProvider { get; }

    /// <summary>
    /// Starts the workers (warm), loads and warms the neural models, and builds the voice catalog from every engine.
    /// A model that cannot be used is logged as a warning with its reason and skipped.
    /// </summary>
    /// <exception cref="ArgumentException">The ONNX settings are invalid.</exception>
    public static async Task<SpeechRuntime> StartAsync(SpeechRuntimeOptions? options = null, ILogger? logger = null,
        CancellationToken cancellationToken = default)
    {
        options ??= new SpeechRuntimeOptions();
        var sessions = options.ModelsDirectory is null ? null : new OnnxSessionFactory(options.Onnx);
        var poolOptions = new EngineWorkerPoolOptions { WorkerCount = options.WorkerCount, RequestTimeout = options.RequestTimeout };
        if (options.QueueCapacity is { } capacity) poolOptions.QueueCapacity = capacity;
        var pool = await EngineWorkerPool.StartAsync(poolOptions, logger, cancellationToken).ConfigureAwait(false);
        try
        {
            PiperEngine? piper = null;
            KokoroEngine? kokoro = null;
            IReadOnlyList<ModelStatus> models = [];
            if (sessions is not null)
            {
                if (logger is not null && sessions.Warning is { } warning) LogProviderFallback(logger, warning);
                (piper, var piperModels) = await PiperModelLoader.LoadAsync(options.ModelsDirectory!, sessions, pool, cancellationToken).ConfigureAwait(false);
                (kokoro, var kokoroModels) = await KokoroModelLoader.LoadAsync(options.ModelsDirectory!, sessions, pool, cancellationToken).ConfigureAwait(false);
                models = [.. piperModels, .. kokoroModels];
                if (logger is not null) Report(logger, options.ModelsDirectory!, sessions.Provider, models);
            }
            IEnumerable<ISpeechEngine> engines = WorkerEngine.ForAll(pool);
            if (piper is not null) engines = engines.Append(piper);
            if (kokoro is not null) engines = engines.Append(kokoro);
            var synthesizer = new Synthesizer(engines, new TextFrontEnd(options.Text), options.Synthesis);
            return new SpeechRuntime(pool, synthesizer, piper, kokoro, models, sessions?.Provider);
        }
        catch
        {
            await pool.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Releases the models and stops every worker process.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Piper is not null) await Piper.DisposeAsync().ConfigureAwait(false);
        if (Kokoro is not null) await Kokoro.DisposeAsync().ConfigureAwait(false);
        await Pool.DisposeAsync().ConfigureAwait(false);
    }

    private static void Report(ILogger logger, string directory, string provider, IReadOnlyList<ModelStatus> models)
    {
        LogModels(logger, models.Count(m => m.Loaded), models.Count, directory, provider);
        foreach (var model in models)
        {
            if (model.Loaded) LogModelLoaded(logger, model.File, model.Engine, string.Join(", ", model.Voices));
            else LogModelSkipped(logger, model.File, model.Reason ?? "unknown");
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Warning}")]
    private static partial void LogProviderFallback(ILogger logger, string warning);

    [LoggerMessage(Level = LogLevel.Information, Message = "Models: {Loaded} of {Found} loaded from {Directory} (ONNX Runtime on {Provider})")]
    private static partial void LogModels(ILogger logger, int loaded, int found, string directory, string provider);

    [LoggerMessage(Level = LogLevel.Information, Message = "Model {File} loaded ({Engine}): voices {Voices}")]
    private static partial void LogModelLoaded(ILogger logger, string file, string engine, string voices);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Model {File} skipped: {Reason}")]
    private static partial void LogModelSkipped(ILogger logger, string file, string reason);
}
