using System.Globalization;
using System.Text.Json;
using CallWaiting.Cli.Commands;
using CallWaiting.Speech.Engines;
using CallWaiting.Speech.Engines.Kokoro;
using CallWaiting.Speech.Engines.Piper;
using CallWaiting.Speech.Synthesis;

namespace CallWaiting.Cli.Models;

/// <summary>`models list`: every model in the folder as the server's start-up would load or skip it.</summary>
internal static class ModelList
{
    /// <summary>Loads the folder as the server does (<see cref="SpeechRuntime.StartAsync"/>) and prints its report.</summary>
    public static async Task<int> RunAsync(bool json, CancellationToken cancellationToken)
    {
        var options = CliSpeech.Options(workers: 1);
        await using var runtime = await SpeechRuntime.StartAsync(options, cancellationToken: cancellationToken);
        var kokoro = KokoroModelLoader.FindFolders(options.ModelsDirectory!);
        var rows = runtime.Models.Select(m => Row(m, runtime.Synthesizer.Catalog, kokoro)).ToArray();
        if (json)
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(rows, CliJson.Default.IEnumerableModelRow));
            return 0;
        }
        Console.Out.WriteLine($"{"NAME",-30} {"ENGINE",-7} {"STATUS",-8} {"LANGUAGE",-9} {"QUALITY",-8} {"RATE",6} {"SIZE",9}  VOICES");
        foreach (var r in rows)
        {
            Console.Out.WriteLine($"{r.Name,-30} {r.Engine,-7} {r.Status,-8} {r.Language ?? "-",-9} {r.Quality ?? "-",-8} {r.SampleRate?.ToString(CultureInfo.InvariantCulture) ?? "-",6} {Size(r.SizeBytes),9}  {string.Join(", ", r.Voices)}");
            if (r.Reason is not null) Console.Out.WriteLine($"    skipped: {r.Reason}");
        }
        Console.Out.WriteLine($"{rows.Length} models, {rows.Count(r => r.Status == "loaded")} loaded, in {options.ModelsDirectory}");
        return 0;
    }

    private static ModelRow Row(ModelStatus model, VoiceCatalog catalog, IReadOnlyList<string> kokoroFolders)
    {
        // A Kokoro model is named by its folder (kokoro-v1.0), as `models remove` takes it; its graph is onnx/model.onnx or such.
        var name = model.Engine == KokoroEngine.EngineName
            ? Path.GetFileName(kokoroFolders.FirstOrDefault(f => f == model.File || KokoroModelLoader.IsInside(model.File, [f])) ?? model.File)
            : Path.GetFileNameWithoutExtension(model.File);
        var voice = catalog.Voices.FirstOrDefault(v => model.Voices.Contains(v.EngineVoice.Id));
        var config = ReadConfig(model.File + ".json");
        var size = File.Exists(model.File) ? new FileInfo(model.File).Length : 0;
        return new ModelRow(name, model.File, model.Engine, model.Loaded ? "loaded" : "skipped", model.Reason,
            model.Voices, voice?.Language ?? config?.Language, config?.Quality, voice?.EngineVoice.SampleRate ?? config?.SampleRate, size);
    }

    // Only for showing a skipped model's language and rate; whether it loads is the loader's answer above.
    private static PiperConfig? ReadConfig(string path)
    {
        try
        {
            return File.Exists(path) ? PiperConfig.Parse(File.ReadAllText(path)) : null;
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }

    private static string Size(long bytes) => bytes switch
    {
        >= 1_000_000 => (bytes / 1_000_000.0).ToString("0.0 'MB'", CultureInfo.InvariantCulture),
        >= 1_000 => (bytes / 1_000.0).ToString("0.0 'KB'", CultureInfo.InvariantCulture),
        _ => $"{bytes} B",
    };
}
