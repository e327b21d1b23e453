using CallWaiting.Server.Hosting;
using CallWaiting.Server.Storage;
using CallWaiting.Speech.Synthesis;
using Microsoft.Extensions.Configuration;

namespace CallWaiting.Cli.Commands;

/// <summary>Speech runtime settings for one-shot CLI commands.</summary>
internal static class CliSpeech
{
    /// <summary>A small pool (a CLI command serves one request, and each worker costs a process start) and the server's models folder.</summary>
    public static SpeechRuntimeOptions Options(int workers) => new()
    {
        WorkerCount = workers,
        ModelsDirectory = (CallWaitingConfiguration.ForCommandLine().GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new StorageOptions()).ModelsPath,
    };
}
