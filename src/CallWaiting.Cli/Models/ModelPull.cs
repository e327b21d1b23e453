using CallWaiting.Cli.Commands;
using CallWaiting.Server.Hosting;
using Microsoft.Extensions.Configuration;

namespace CallWaiting.Cli.Models;

/// <summary>`models pull piper:NAME | kokoro:VOICE,…`: downloads a model from its repository's layout, verifies it and installs it.</summary>
internal static class ModelPull
{
    private static readonly TimeSpan ManifestTimeout = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Pulls <paramref name="source"/> (<c>piper:en_US-lessac-medium</c>, or <c>kokoro:af_heart,bf_emma</c> with
    /// <paramref name="graph"/> choosing the Kokoro graph) into <paramref name="folder"/>.
    /// </summary>
    public static Task<int> RunAsync(string source, string? baseUrl, string? graph, ModelFolder folder, CancellationToken cancellationToken)
    {
        var colon = source.IndexOf(':', StringComparison.Ordinal);
        var (engine, key) = colon < 0 ? ("", source) : (source[..colon], source[(colon + 1)..]);
        if (engine == "kokoro") return KokoroPull.RunAsync(key, graph, baseUrl, folder, cancellationToken);
        if (engine != "piper" || key.Length == 0 || key.IndexOfAny(['/', '\\']) >= 0 || key.StartsWith('.'))
            throw new ArgumentException($"'{source}' is not a voice to pull; say piper:NAME (e.g. piper:en_US-lessac-medium) or kokoro:VOICE[,VOICE…] (e.g. kokoro:af_heart)");
        if (graph is not null) throw new ArgumentException("--graph chooses a Kokoro graph; a Piper voice has one");
        return PiperAsync(key, baseUrl, folder, cancellationToken);
    }

    /// <summary>The <c>Models</c> settings, with <c>--base-url</c> put in <paramref name="apply"/>, validated.</summary>
    public static ModelsOptions Options(Action<ModelsOptions> apply)
    {
        var options = CallWaitingConfiguration.ForCommandLine().GetSection(ModelsOptions.Section).Get<ModelsOptions>() ?? new ModelsOptions();
        apply(options);
        if (options.Problems().ToArray() is { Length: > 0 } problems) throw new ArgumentException(string.Join(" ", problems));
        return options;
    }

    /// <summary>The downloads' client: no overall timeout (the downloader's idle timeout stops a stalled transfer).</summary>
    public static HttpClient Client()
    {
        var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        http.DefaultRequestHeaders.UserAgent.ParseAdd("callwaiting-models/1");
        return http;
    }

    private static async Task<int> PiperAsync(string key, string? baseUrl, ModelFolder folder, CancellationToken cancellationToken)
    {
        var options = Options(o => o.BaseUrl = baseUrl ?? o.BaseUrl);
        var root = new Uri(options.BaseUrl.TrimEnd('/') + "/");
        using var http = Client();

        var manifestUrl = new Uri(root, VoiceManifest.FileName);
        var manifest = await GetTextAsync(http, manifestUrl, cancellationToken);
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
            await downloader.DownloadAsync(FileUri(root, config.Path), configPart, config, cancellationToken);
            await downloader.DownloadAsync(FileUri(root, graph.Path), graphPart, graph, cancellationToken);
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

    /// <summary>GETs a listing or manifest as text, within a minute; a refusal or network error is an <see cref="InvalidOperationException"/>.</summary>
    public static async Task<string> GetTextAsync(HttpClient http, Uri url, CancellationToken cancellationToken)
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

    /// <summary>A listed file's URL under <paramref name="root"/>; a path that would leave it (or the folder it is installed in) is refused.</summary>
    public static Uri FileUri(Uri root, string path)
    {
        var url = new Uri(root, path);
        if (!root.IsBaseOf(url) || path.Contains("..", StringComparison.Ordinal) || path.StartsWith('/'))
            throw new InvalidOperationException($"the repository's listing names a file outside it: {path}");
        return url;
    }

    private static void DeleteParts(params string[] parts)
    {
        foreach (var part in parts) File.Delete(part);
    }
}
