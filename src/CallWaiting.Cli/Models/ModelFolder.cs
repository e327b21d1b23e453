using CallWaiting.Speech.Engines.Kokoro;
using CallWaiting.Speech.Engines.Piper;

namespace CallWaiting.Cli.Models;

/// <summary>
/// The models folder as the model manager changes it: files enter under temporary names in the folder itself and are
/// renamed into place, config first and graph last (a Kokoro folder is assembled beside it and renamed whole), so the
/// server never finds a half-written model or a graph without its config.
/// </summary>
internal sealed class ModelFolder(string path)
{
    /// <summary>The folder (<c>StorageOptions.ModelsPath</c>).</summary>
    public string Path { get; } = path;

    /// <summary>Where a voice's graph is installed: <c>STEM.onnx</c> in the folder itself.</summary>
    public string GraphPath(string stem) => System.IO.Path.Combine(Path, stem + ".onnx");

    /// <summary>Every Piper graph the server's loader would find (the folder and its subfolders, outside Kokoro folders).</summary>
    public IEnumerable<string> Graphs()
    {
        if (!Directory.Exists(Path)) return [];
        var kokoro = KokoroModelLoader.FindFolders(Path);
        return Directory.EnumerateFiles(Path, "*.onnx", SearchOption.AllDirectories).Where(g => !KokoroModelLoader.IsInside(g, kokoro)).Order(StringComparer.Ordinal);
    }

    /// <summary>The installed graph named by its file stem (<c>en_US-lessac-medium</c>) or its voice slug, or null.</summary>
    /// <remarks>A multi-speaker model's voices are <c>piper-STEM-SPEAKER</c>; its model is found by <c>piper-STEM</c>.</remarks>
    public string? Find(string name) =>
        Graphs().FirstOrDefault(g => System.IO.Path.GetFileNameWithoutExtension(g) == name)
        ?? Graphs().FirstOrDefault(g => PiperModelLoader.Slug(System.IO.Path.GetFileNameWithoutExtension(g)).Equals(name, StringComparison.OrdinalIgnoreCase));

    /// <summary>An installed graph whose voice slug a new model of <paramref name="stem"/> would also take, or null.</summary>
    public string? SlugTakenBy(string stem) =>
        Graphs().FirstOrDefault(g => PiperModelLoader.Slug(System.IO.Path.GetFileNameWithoutExtension(g)) == PiperModelLoader.Slug(stem));

    /// <summary>A temporary name in the folder for a file being written; it never ends in <c>.onnx</c>, so no loader takes it.</summary>
    public string TemporaryPath(string fileName)
    {
        Directory.CreateDirectory(Path);
        return System.IO.Path.Combine(Path, $".{fileName}.{Guid.NewGuid():N}.tmp");
    }

    /// <summary>Copies a file to a temporary name in the folder and flushes it to disk.</summary>
    public async Task<string> StageCopyAsync(string source, string fileName, CancellationToken cancellationToken)
    {
        var staged = TemporaryPath(fileName);
        try
        {
            await using var input = File.OpenRead(source);
            await using var output = new FileStream(staged, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
            await input.CopyToAsync(output, cancellationToken);
            output.Flush(flushToDisk: true);
            return staged;
        }
        catch
        {
            File.Delete(staged);
            throw;
        }
    }

    /// <summary>Renames a verified graph and config into place as <c>STEM.onnx</c> and <c>STEM.onnx.json</c>.</summary>
    public string Install(string stem, string stagedGraph, string stagedConfig)
    {
        var graph = GraphPath(stem);
        File.Move(stagedConfig, graph + ".json", overwrite: true);
        File.Move(stagedGraph, graph, overwrite: true);
        return graph;
    }

    /// <summary>Where a Kokoro model folder named <paramref name="name"/> is installed: a folder in the models folder itself.</summary>
    public string KokoroPath(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Where a Kokoro folder is assembled before it is renamed into place (and where an interrupted pull's parts stay).</summary>
    public string KokoroStagingPath(string name) => System.IO.Path.Combine(Path, $".{name}.part");

    /// <summary>The installed Kokoro model folder named <paramref name="name"/>, or null.</summary>
    public string? FindKokoro(string name) =>
        KokoroPath(name) is var folder && KokoroModelLoader.IsModelFolder(folder) ? folder : null;

    /// <summary>Renames a checked Kokoro folder into place in one step.</summary>
    public string InstallKokoro(string name, string staged)
    {
        var folder = KokoroPath(name);
        Directory.Move(staged, folder);
        return folder;
    }

    /// <summary>Deletes a graph, then its config: the loader only looks for graphs, so a config left alone is inert.</summary>
    public static void Remove(string graph)
    {
        File.Delete(graph);
        File.Delete(graph + ".json");
    }
}
