using CallWaiting.Cli.Commands;
using CallWaiting.Speech.Engines.Kokoro;

namespace CallWaiting.Cli.Models;

/// <summary>
/// `models pull kokoro:VOICE[,VOICE…] [--graph FILE]`: a Kokoro model folder from onnx-community's layout on Hugging
/// Face (<c>config.json</c>, <c>tokenizer.json</c>, <c>onnx/FILE</c>, <c>voices/VOICE.bin</c>), each file's size and
/// checksum checked against the repository's listing, assembled in <c>.kokoro-v1.0.part/</c> (where an interrupted
/// pull's <c>.part</c> files wait to be resumed), loaded by the server's own loader and renamed into place whole.
/// </summary>
internal static class KokoroPull
{
    /// <summary>The folder a pulled model is installed as.</summary>
    public const string FolderName = "kokoro-v1.0";

    /// <summary>The graph pulled unless <c>--graph</c> names another file under <c>onnx/</c>.</summary>
    public const string DefaultGraph = "model.onnx";

    private const string PartSuffix = ".part";

    /// <summary>Pulls the voices named in <paramref name="voiceList"/> (<c>af_heart,bf_emma</c>) with one graph.</summary>
    public static async Task<int> RunAsync(string voiceList, string? graphName, string? hubUrl, ModelFolder folder, CancellationToken cancellationToken)
    {
        var voices = Voices(voiceList);
        var graph = Graph(graphName ?? DefaultGraph);
        var options = ModelPull.Options(o => o.HubUrl = hubUrl ?? o.HubUrl);
        if (Directory.Exists(folder.KokoroPath(FolderName)))
            throw new InvalidOperationException($"{FolderName} is already installed ({folder.KokoroPath(FolderName)}); remove it first with `models remove {FolderName}`, then pull every voice you want at once");

        var hub = new Uri(options.HubUrl.TrimEnd('/') + "/");
        using var http = ModelPull.Client();
        var listingUrl = new Uri(hub, HubTree.ListingPath(options.KokoroRepository, options.KokoroRevision));
        IReadOnlyList<ManifestFile> listing;
        try
        {
            listing = HubTree.Parse(await ModelPull.GetTextAsync(http, listingUrl, cancellationToken));
        }
        catch (InvalidDataException e)
        {
            throw new InvalidOperationException($"{listingUrl}: {e.Message}", e);
        }
        var files = Select(listing, graph, voices, options.KokoroRepository);

        var staging = folder.KokoroStagingPath(FolderName);
        var downloader = new ModelDownloader(http);
        try
        {
            foreach (var file in files)
            {
                var local = Local(staging, file.Path);
                Directory.CreateDirectory(Path.GetDirectoryName(local)!);
                // A pull stopped during the check left the file under its own name: it is verified again, not fetched again.
                if (File.Exists(local) && !File.Exists(local + PartSuffix)) File.Move(local, local + PartSuffix);
                var url = ModelPull.FileUri(hub, HubTree.FilePath(options.KokoroRepository, options.KokoroRevision, file.Path));
                await downloader.DownloadAsync(url, local + PartSuffix, file, cancellationToken);
            }
        }
        catch (ModelDownloadException e)
        {
            if (!e.Resumable) Directory.Delete(staging, recursive: true);
            return CliErrors.Fail(CliErrors.Failure, e.Resumable ? e.Message : $"{e.Message}; nothing was installed");
        }

        // Only this pull's files, under their own names: an earlier pull's other voices or graph stay out.
        var wanted = files.Select(f => Local(staging, f.Path)).ToHashSet(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(staging, "*", SearchOption.AllDirectories).ToArray())
        {
            if (!file.EndsWith(PartSuffix, StringComparison.Ordinal) || !wanted.Contains(file[..^PartSuffix.Length])) File.Delete(file);
        }
        foreach (var local in wanted) File.Move(local + PartSuffix, local, overwrite: true);

        var status = await ModelCheck.RunKokoroAsync(staging, cancellationToken);
        if (!status.Loaded)
        {
            Directory.Delete(staging, recursive: true);
            return CliErrors.Fail(CliErrors.Failure, $"kokoro:{voiceList} was downloaded but the server could not load it: {status.Reason}; nothing was installed");
        }
        var installed = folder.InstallKokoro(FolderName, staging);
        Console.Out.WriteLine($"installed {Path.GetFileName(installed)} ({files.Sum(f => f.Size):N0} bytes): {string.Join(", ", status.Voices)}");
        return 0;
    }

    private static List<ManifestFile> Select(IReadOnlyList<ManifestFile> listing, string graph, IReadOnlyList<string> voices, string repository)
    {
        var byPath = listing.DistinctBy(f => f.Path).ToDictionary(f => f.Path, StringComparer.Ordinal);
        if (!byPath.TryGetValue(KokoroConfig.ConfigFile, out var config))
            throw new InvalidOperationException($"{repository} has no {KokoroConfig.ConfigFile}: it is not a Kokoro repository in onnx-community's layout");
        var files = new List<ManifestFile> { config };
        // onnx-community's config.json names only the model type; the vocabulary is tokenizer.json's.
        if (byPath.TryGetValue(KokoroConfig.TokenizerFile, out var tokenizer)) files.Add(tokenizer);
        files.AddRange(voices.Select(v => byPath.GetValueOrDefault($"{KokoroModelLoader.VoicesFolder}/{v}.bin")
            ?? throw new KeyNotFoundException($"{repository} has no voice '{v}'; it has {Names(byPath.Keys, KokoroModelLoader.VoicesFolder + "/", ".bin")}")));
        files.Add(byPath.GetValueOrDefault($"onnx/{graph}")
            ?? throw new KeyNotFoundException($"{repository} has no graph onnx/{graph}; it has {Names(byPath.Keys, "onnx/", ".onnx")}"));
        return files;
    }

    private static string Names(IEnumerable<string> paths, string prefix, string suffix) =>
        string.Join(", ", paths.Where(p => p.StartsWith(prefix, StringComparison.Ordinal) && p.EndsWith(suffix, StringComparison.Ordinal))
            .Select(p => p[prefix.Length..^suffix.Length]).Order(StringComparer.Ordinal)) is { Length: > 0 } names ? names : "none";

    private static string[] Voices(string list)
    {
        var voices = list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal).ToArray();
        if (voices.Length == 0) throw new ArgumentException("say which Kokoro voices to pull: kokoro:VOICE[,VOICE…], e.g. kokoro:af_heart,bf_emma");
        if (voices.FirstOrDefault(v => !v.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-')) is { } bad)
            throw new ArgumentException($"'{bad}' is not a Kokoro voice name (e.g. af_heart)");
        return voices;
    }

    private static string Graph(string name)
    {
        if (!name.EndsWith(".onnx", StringComparison.Ordinal) || name.StartsWith('.') || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.'))
            throw new ArgumentException($"--graph takes a file name under onnx/ such as model.onnx or model_quantized.onnx, not '{name}'");
        return name;
    }

    private static string Local(string staging, string path) => Path.Combine(staging, path.Replace('/', Path.DirectorySeparatorChar));
}
