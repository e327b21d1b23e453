using CallWaiting.Cli.Commands;
using CallWaiting.Server.Hosting;
using Microsoft.Extensions.Configuration;

namespace CallWaiting.Cli.Models;

/// <summary>`models pull piper:NAME`: downloads a voice from the repository's layout, verifies it and installs it.</summary>
internal static class ModelPull
{
    private static readonly TimeSpan ManifestTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Pulls <paramref name="source"/> (<c>piper:en_US-lessac-medium</c>) into <paramref name="folder"/>.</summary>
    public static async Task<int> RunAsync(string source, string? baseUrl, ModelFolder folder, CancellationToken cancellationToken)
    {
        var key = VoiceKey(source);
        var root = BaseUri(baseUrl);
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        http.DefaultRequestHeaders.UserAgent.ParseAdd("callwaiting-models/1");

        var manifestUrl = new Uri(root, VoiceManifest.FileName);
        var manifest = await ManifestAsync(http, manifestUrl, cancellationToken);
        ManifestFile graph, config;
        try
        {
            (graph, config) = VoiceManifest.Find(manifest, key);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidOperationException($"{manifestUrl}: {e.Message}", e);
        }
        var stem = Path.GetFileNameWithoutExtension(Path.GetFileName(graph.Path));
        if (folder.SlugTakenBy(stem) is { } existing)
            throw new InvalidOperationException($"{stem} is already installed ({existing}); remove it first with `models remove {stem}`");

        Directory.CreateDirectory(folder.Path);
        var graphPart = folder.GraphPath(stem) + ".part";
        var configPart = folder.GraphPath(stem) + ".json.part";
        var downloader = new ModelDownloader(http);
        try
        {
            await downloader.DownloadAsync(FileUri(root, config), configPart, config, cancellationToken);
            await downloader.DownloadAsync(FileUri(root, graph), graphPart, graph, cancellationToken);
        }
        catch (ModelDownloadException e)
        {
            if (!e.Resumable) DeleteParts(graphPart, configPart);
            return CliErrors.Fail(CliErrors.Failure, e.Resumable ? e.Message : $"{e.Message}; nothing was installed");
        }

        var status = await ModelCheck.RunAsync(graphPart, configPart, stem, cancellationToken);
        if (!status.Loaded)
        {
            DeleteParts(graphPart, configPart);
            return CliErrors.Fail(CliErrors.Failure, $"{key} was downloaded but the server could not load it: {status.Reason}; nothing was installed");
        }
        var installed = folder.Install(stem, graphPart, configPart);
        Console.Out.WriteLine($"installed {Path.GetFileName(installed)} ({graph.Size:N0} bytes): {string.Join(", ", status.Voices)}");
        return 0;
    }

    private static string VoiceKey(string source)
    {
        var colon = source.IndexOf(':', StringComparison.Ordinal);
        var (engine, key) = colon < 0 ? ("", source) : (source[..colon], source[(colon + 1)..]);
        if (engine == "kokoro")
            throw new ArgumentException("pulling Kokoro models is not supported yet; download the model folder and copy it into the models folder");
        if (engine != "piper" || key.Length == 0 || key.IndexOfAny(['/', '\\']) >= 0 || key.StartsWith('.'))
            throw new ArgumentException($"'{source}' is not a voice to pull; say piper:NAME, e.g. piper:en_US-lessac-medium");
        return key;
    }

    private static Uri BaseUri(string? baseUrl)
    {
        var options = CallWaitingConfiguration.ForCommandLine().GetSection(ModelsOptions.Section).Get<ModelsOptions>() ?? new ModelsOptions();
        if (baseUrl is not null) options.BaseUrl = baseUrl;
        if (options.Problems().ToArray() is { Length: > 0 } problems) throw new ArgumentException(string.Join(" ", problems));
        return new Uri(options.BaseUrl.TrimEnd('/') + "/");
    }

    private static async Task<string> ManifestAsync(HttpClient http, Uri url, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ManifestTimeout);
        try
        {
            using var response = await http.GetAsync(url, timeout.Token);
            if (!response.IsSuccessStatusCode)
                throw new InvalidOperationException($"GET {url} answered {(int)response.StatusCode} {response.ReasonPhrase}");
            return await response.Content.ReadAsStringAsync(timeout.Token);
        }
        catch (HttpRequestException e)
        {
            throw new InvalidOperationException($"cannot read {url}: {e.Message}", e);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new InvalidOperationException($"no answer from {url} in {ManifestTimeout.TotalSeconds:0} s");
        }
    }

    // The manifest's paths are relative to the base URL; one that is not would fetch from elsewhere.
    private static Uri FileUri(Uri root, ManifestFile file)
    {
        var url = new Uri(root, file.Path);
        if (!root.IsBaseOf(url) || file.Path.Contains("..", StringComparison.Ordinal))
            throw new InvalidOperationException($"voices.json names a file outside the repository: {file.Path}");
        return url;
    }

    private static void DeleteParts(params string[] parts)
    {
        foreach (var part in parts) File.Delete(part);
    }
}
