using System.IO.Compression;
using CallWaiting.Cli.Commands;
using CallWaiting.Speech.Engines;
using CallWaiting.Speech.Engines.Kokoro;

namespace CallWaiting.Cli.Models;

/// <summary>
/// `models add FOLDER` for a Kokoro model folder: the files the server's loader reads (config.json, tokenizer.json,
/// the voice packs and the one graph it takes) are copied into a hidden folder beside the installed ones, the graph and
/// config.json last so no loader takes the folder before it is whole, loaded there as start-up loads it, and renamed into place in
/// one step; anything that fails leaves nothing.
/// </summary>
internal static class KokoroAdd
{
    private const string PartSuffix = ".part";

    /// <summary>Checks and installs the Kokoro folder <paramref name="source"/> as a folder of the same name.</summary>
    public static async Task<int> RunAsync(string path, string source, ModelFolder folder, CancellationToken cancellationToken)
    {
        if (!KokoroModelLoader.IsModelFolder(source))
            throw new ArgumentException($"{path} is not a Kokoro model folder: it needs {KokoroConfig.ConfigFile} and a {KokoroModelLoader.VoicesFolder}/ folder of NAME.bin packs or {KokoroModelLoader.VoicesArchive}");
        var name = Path.GetFileName(source);
        if (name.StartsWith('.')) throw new ArgumentException($"{path} is a hidden folder; the models folder keeps those for downloads in progress");
        var target = folder.KokoroPath(name);
        if (Directory.Exists(target) || File.Exists(target))
            throw new InvalidOperationException($"{name} is already installed ({target}); remove it first with `models remove {name}`");
        var adding = PackNames(source).Select(Slug).ToHashSet(StringComparer.Ordinal);
        var taken = KokoroModelLoader.FindFolders(folder.Path).SelectMany(f => PackNames(f).Select(n => (Voice: Slug(n), Folder: f)))
            .FirstOrDefault(installed => adding.Contains(installed.Voice));
        if (taken.Folder is not null)
            throw new InvalidOperationException($"the voice {taken.Voice} is already installed ({taken.Folder}), and the server would skip a second folder with it; remove that folder first or leave the voice out");
        string graph;
        try
        {
            graph = KokoroModelLoader.GraphOf(source);
        }
        catch (InvalidDataException e)
        {
            return CliErrors.Fail(CliErrors.BadInput, $"{path} is not a usable Kokoro model: {e.Message}; nothing was installed");
        }

        var staging = folder.TemporaryPath(name);
        string Staged(string file) => Path.Combine(staging, Path.GetRelativePath(source, file));
        try
        {
            foreach (var file in Files(source)) await CopyAsync(file, Staged(file), cancellationToken);
            // The graph and config.json enter under other names and are renamed last, back to back: until then neither
            // loader takes the folder (no config.json) nor its graph (no .onnx), even while a copy is half-written.
            var config = Path.Combine(source, KokoroConfig.ConfigFile);
            await CopyAsync(graph, Staged(graph) + PartSuffix, cancellationToken);
            await CopyAsync(config, Staged(config) + PartSuffix, cancellationToken);
            File.Move(Staged(graph) + PartSuffix, Staged(graph));
            File.Move(Staged(config) + PartSuffix, Staged(config));
            // What is checked is byte for byte what gets installed.
            var status = await ModelCheck.RunKokoroAsync(staging, cancellationToken);
            if (!status.Loaded) return CliErrors.Fail(CliErrors.BadInput, $"{path} is not a usable Kokoro model: {status.Reason}; nothing was installed");
            folder.InstallKokoro(name, staging);
            Console.Out.WriteLine($"added {name}: {string.Join(", ", status.Voices)}");
            return 0;
        }
        finally
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }
    }

    // The voice packs and tokenizer.json; the graph and config.json go last.
    private static IEnumerable<string> Files(string source)
    {
        var tokenizer = Path.Combine(source, KokoroConfig.TokenizerFile);
        if (File.Exists(tokenizer)) yield return tokenizer;
        var voices = Path.Combine(source, KokoroModelLoader.VoicesFolder);
        if (Directory.Exists(voices))
            foreach (var pack in Directory.EnumerateFiles(voices, "*.bin").Order(StringComparer.Ordinal)) yield return pack;
        var archive = Path.Combine(source, KokoroModelLoader.VoicesArchive);
        if (File.Exists(archive)) yield return archive;
    }

    private static string Slug(string name) => ModelVoiceSlug.From(KokoroEngine.EngineName, name);

    // The voice names a folder's packs give (voices/NAME.bin, NAME.npy in voices.npz), without reading the packs.
    private static IEnumerable<string> PackNames(string kokoroFolder)
    {
        var voices = Path.Combine(kokoroFolder, KokoroModelLoader.VoicesFolder);
        var names = Directory.Exists(voices) ? Directory.EnumerateFiles(voices, "*.bin").Select(Path.GetFileNameWithoutExtension).OfType<string>().ToList() : [];
        var archive = Path.Combine(kokoroFolder, KokoroModelLoader.VoicesArchive);
        if (!File.Exists(archive)) return names;
        try
        {
            using var zip = ZipFile.OpenRead(archive);
            names.AddRange(zip.Entries.Where(e => e.Name.EndsWith(".npy", StringComparison.Ordinal)).Select(e => Path.GetFileNameWithoutExtension(e.Name)));
        }
        catch (InvalidDataException)
        {
            // Not an archive: the loader says so when it checks the folder.
        }
        return names;
    }

    private static async Task CopyAsync(string from, string to, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(to)!);
        await using var input = File.OpenRead(from);
        await using var output = new FileStream(to, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
        await input.CopyToAsync(output, cancellationToken);
        output.Flush(flushToDisk: true);
    }
}
