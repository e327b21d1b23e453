using CallWaiting.Cli.Commands;
using CallWaiting.Speech.Engines;
using CallWaiting.Speech.Engines.Kokoro;
using CallWaiting.Speech.Engines.Onnx;
using CallWaiting.Speech.Engines.Piper;
using CallWaiting.Speech.Workers;

namespace CallWaiting.Cli.Models;

/// <summary>Checks a Piper voice or a Kokoro folder with the server's own loader rules before it enters the models folder.</summary>
internal static class ModelCheck
{
    /// <summary>Opens, checks and warms the graph with its config (an espeak worker phonemizes), then releases it.</summary>
    public static async Task<ModelStatus> RunAsync(string graph, string config, string stem, CancellationToken cancellationToken)
    {
        var sessions = new OnnxSessionFactory(CliSpeech.Options(workers: 1).Onnx);
        await using var pool = await EngineWorkerPool.StartAsync(new EngineWorkerPoolOptions { WorkerCount = 1 }, cancellationToken: cancellationToken);
        return await PiperModelLoader.CheckAsync(graph, config, stem, sessions, pool, cancellationToken);
    }

    /// <summary>Loads a Kokoro model folder as the server's start-up does (vocab, packs, graph, warm-up), then releases it.</summary>
    public static async Task<ModelStatus> RunKokoroAsync(string folder, CancellationToken cancellationToken)
    {
        var sessions = new OnnxSessionFactory(CliSpeech.Options(workers: 1).Onnx);
        await using var pool = await EngineWorkerPool.StartAsync(new EngineWorkerPoolOptions { WorkerCount = 1 }, cancellationToken: cancellationToken);
        var (engine, report) = await KokoroModelLoader.LoadAsync(folder, sessions, pool, cancellationToken);
        if (engine is not null) await engine.DisposeAsync();
        return report.Count == 1 ? report[0] : new ModelStatus(folder, KokoroEngine.EngineName, false, $"{report.Count} Kokoro model folders where one was expected", []);
    }
}
