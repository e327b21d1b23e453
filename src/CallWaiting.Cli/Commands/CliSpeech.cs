using CallWaiting.Server.Hosting;
using CallWaiting.Server.Storage;
using CallWaiting.Speech.Engines.Onnx;
using CallWaiting.Speech.Synthesis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace CallWaiting.Cli.Commands;

/// <summary>Speech runtime settings for one-shot CLI commands.</summary>
internal static class CliSpeech
{
    /// <summary>
    /// A small pool (a CLI command serves one request, and each worker costs a process start), the server's models
    /// folder and its ONNX Runtime settings (<c>CALLWAITING_Onnx__*</c>), validated as the server validates them.
    /// </summary>
    /// <exception cref="OptionsValidationException">An Onnx setting is invalid.</exception>
    public static SpeechRuntimeOptions Options(int workers)
    {
        var configuration = CallWaitingConfiguration.ForCommandLine();
        var onnx = configuration.GetSection(OnnxOptions.Section).Get<OnnxOptions>() ?? new OnnxOptions();
        if (onnx.Problems() is { Count: > 0 } problems) throw new OptionsValidationException(OnnxOptions.Section, typeof(OnnxOptions), problems);
        return new()
        {
            WorkerCount = workers,
            ModelsDirectory = (configuration.GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new StorageOptions()).ModelsPath,
            Onnx = onnx,
        };
    }
}
