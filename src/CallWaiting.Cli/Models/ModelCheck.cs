using CallWaiting.Cli.Commands;
using CallWaiting.Speech.Engines;
using CallWaiting.Speech.Engines.Onnx;
using CallWaiting.Speech.Engines.Piper;
using CallWaiting.Speech.Workers;

namespace CallWaiting.Cli.Models;

/// <summary>Checks a Piper voice with the server's own loader rules before it enters the models folder.</summary>
internal static class ModelCheck
{
    /// <summary>Opens, checks and warms the graph with its config (an espeak worker phonemizes), then releases it.</summary>
    public static async Task<ModelStatus> RunAsync(string graph, string config, string stem, CancellationToken cancellationToken)
    {
        var sessions = new OnnxSessionFactory(CliSpeech.Options(workers: 1).Onnx);
        await using var pool = await EngineWorkerPool.StartAsync(new EngineWorkerPoolOptions { WorkerCount = 1 }, cancellationToken: cancellationToken);
        return await PiperModelLoader.CheckAsync(graph, config, stem, sessions, pool, cancellationToken);
    }
}
