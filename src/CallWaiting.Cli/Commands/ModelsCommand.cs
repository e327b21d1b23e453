using System.CommandLine;
using CallWaiting.Cli.Models;

namespace CallWaiting.Cli.Commands;

/// <summary>`callwaiting models list | add PATH (a Piper voice or a Kokoro folder) | pull piper:NAME | pull kokoro:VOICE,… | remove NAME`: the neural voices in the models folder.</summary>
internal static class ModelsCommand
{
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print one JSON array with every model." };
        var list = new Command("list", "List every model in the models folder, loaded or skipped (and why), as the server would.") { json };
        list.SetAction((parse, ct) => CliErrors.RunAsync(() => ModelList.RunAsync(parse.GetValue(json), ct)));

        var path = new Argument<string>("PATH")
        {
            Description = "A Piper voice NAME.onnx, with NAME.onnx.json beside it, or a Kokoro model folder (config.json, voices/ or voices.npz, one graph).",
        };
        var add = new Command("add", "Check a Piper voice or a Kokoro model folder as the server loads it, then copy it into the models folder.") { path };
        add.SetAction((parse, ct) => CliErrors.RunAsync(() => AddAsync(parse.GetValue(path)!, ct)));

        var source = new Argument<string>("SOURCE")
        {
            Description = "piper:NAME, a voice of Piper's voices.json (e.g. piper:en_US-lessac-medium), or kokoro:VOICE[,VOICE…], "
                + $"voices of the Kokoro repository installed together as {KokoroPull.FolderName}/ (e.g. kokoro:af_heart,bf_emma).",
        };
        var baseUrl = new Option<string?>("--base-url")
        {
            Description = $"piper: the voice repository (default: Models:BaseUrl, else {ModelsOptions.DefaultBaseUrl}); "
                + $"kokoro: the Hugging Face hub or a mirror (default: Models:HubUrl, else {ModelsOptions.DefaultHubUrl}).",
        };
        var graph = new Option<string?>("--graph")
        {
            Description = $"kokoro: the graph under onnx/ (default {KokoroPull.DefaultGraph}; e.g. model_fp16.onnx, model_quantized.onnx).",
        };
        var pull = new Command("pull", "Download a model, verify its sizes and checksums, check it as the server loads it, and install it (resumes an interrupted download).")
        {
            source, baseUrl, graph,
        };
        pull.SetAction((parse, ct) => CliErrors.RunAsync(() => ModelPull.RunAsync(parse.GetValue(source)!, parse.GetValue(baseUrl), parse.GetValue(graph), Folder(), ct)));

        var name = new Argument<string>("NAME")
        {
            Description = "The model's file stem (en_US-lessac-medium), voice slug (piper-en-us-lessac-medium) or Kokoro folder (kokoro-v1.0).",
        };
        var remove = new Command("remove", "Delete a model from the models folder (the server drops it at its next start).") { name };
        remove.SetAction((parse, _) => CliErrors.RunAsync(() => Task.FromResult(Remove(parse.GetValue(name)!))));

        return new Command("models", "Manage the neural voices in the models folder (CALLWAITING_MODELS_DIR).") { list, add, pull, remove };
    }

    private static ModelFolder Folder() => new(CliSpeech.Options(workers: 1).ModelsDirectory!);

    private static async Task<int> AddAsync(string path, CancellationToken cancellationToken)
    {
        var source = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        if (Directory.Exists(source)) return await KokoroAdd.RunAsync(path, source, Folder(), cancellationToken);
        if (!source.EndsWith(".onnx", StringComparison.Ordinal) || !File.Exists(source))
            throw new ArgumentException($"{path} is not a Piper voice: give NAME.onnx, with NAME.onnx.json beside it, or a Kokoro model folder");
        if (!File.Exists(source + ".json")) throw new ArgumentException($"{path}.json is missing: a Piper voice is NAME.onnx with NAME.onnx.json beside it");
        var folder = Folder();
        var stem = Path.GetFileNameWithoutExtension(source);
        if (folder.SlugTakenBy(stem) is { } existing)
            throw new InvalidOperationException($"{stem} is already installed ({existing}); remove it first with `models remove {stem}`");

        // The check runs on the staged copies: what is checked is byte for byte what gets installed.
        string? graph = null, config = null;
        try
        {
            config = await folder.StageCopyAsync(source + ".json", stem + ".onnx.json", cancellationToken);
            graph = await folder.StageCopyAsync(source, stem + ".onnx", cancellationToken);
            var status = await ModelCheck.RunAsync(graph, config, stem, cancellationToken);
            if (!status.Loaded) return CliErrors.Fail(CliErrors.BadInput, $"{path} is not a usable Piper voice: {status.Reason}; nothing was installed");
            var installed = folder.Install(stem, graph, config);
            graph = config = null;
            Console.Out.WriteLine($"added {Path.GetFileName(installed)}: {string.Join(", ", status.Voices)}");
            return 0;
        }
        finally
        {
            if (graph is not null) File.Delete(graph);
            if (config is not null) File.Delete(config);
        }
    }

    private static int Remove(string name)
    {
        if (name.Length == 0 || name.IndexOfAny(['/', '\\']) >= 0 || name.StartsWith('.'))
            throw new ArgumentException($"'{name}' is not a model name; give its file stem or voice slug");
        var folder = Folder();
        if (folder.FindKokoro(name) is { } kokoro)
        {
            Directory.Delete(kokoro, recursive: true);
            Console.Out.WriteLine($"removed {name}");
            return 0;
        }
        if (folder.Find(name) is { } graph)
        {
            ModelFolder.Remove(graph);
            Console.Out.WriteLine($"removed {Path.GetFileName(graph)}");
            return 0;
        }
        // An interrupted pull leaves NAME.onnx(.json).part, or a Kokoro pull .NAME.part/; removing the name clears them too.
        var parts = new[] { folder.GraphPath(name) + ".part", folder.GraphPath(name) + ".json.part" }.Where(File.Exists).ToArray();
        var staging = folder.KokoroStagingPath(name);
        if (parts.Length == 0 && !Directory.Exists(staging)) throw new KeyNotFoundException($"no model '{name}' in {folder.Path}; `models list` shows them");
        foreach (var part in parts) File.Delete(part);
        if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        Console.Out.WriteLine($"removed the partial download of {name}");
        return 0;
    }
}
