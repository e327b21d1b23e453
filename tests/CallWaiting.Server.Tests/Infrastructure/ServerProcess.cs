using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using CallWaiting.Server.ApiKeys;

namespace CallWaiting.Server.Tests.Infrastructure;

/// <summary>
/// A real CallWaiting server: `dotnet callwaiting.dll serve --urls http://127.0.0.1:PORT` as a child process with
/// its own environment, ready once /ready answers 200. Output is captured for assertions and failure messages.
/// </summary>
public sealed partial class ServerProcess : IAsyncDisposable
{
    private const int SigTerm = 15;
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(90);

    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ServerProcess(Process process, Uri baseAddress, Uri? httpsAddress, string bootstrapKey)
    {
        _process = process;
        BaseAddress = baseAddress;
        HttpsAddress = httpsAddress;
        BootstrapKey = bootstrapKey;
        Client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
    }

    /// <summary>http://127.0.0.1:PORT/.</summary>
    public Uri BaseAddress { get; }

    /// <summary>https://127.0.0.1:PORT/ when started with an HTTPS listener as well, else null.</summary>
    public Uri? HttpsAddress { get; }

    /// <summary>The admin key CALLWAITING_BOOTSTRAP_KEY created on an empty database (or the one printed when none was set).</summary>
    public string BootstrapKey { get; private set; }

    /// <summary>A client for this server.</summary>
    public HttpClient Client { get; }

    /// <summary>Standard output and error so far.</summary>
    public string Output
    {
        get
        {
            lock (_output) return _output.ToString();
        }
    }

    /// <summary>Whether the process has exited.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>
    /// Settings that raise the per-IP and failed-authentication limits, so a test's many requests from 127.0.0.1 are not
    /// throttled; start a server's environment from these unless the limits are what it tests.
    /// </summary>
    public static IReadOnlyDictionary<string, string?> Unthrottled { get; } = new Dictionary<string, string?>
    {
        ["CALLWAITING_RateLimits__PerIpPerMinute"] = "1000000",
        ["CALLWAITING_RateLimits__FailedAuthPerIpPerMinute"] = "1000000",
        ["CALLWAITING_RateLimits__FailedAuthPerPrefixPerMinute"] = "1000000",
    };

    /// <summary>Path of the CLI's entry assembly, copied next to the tests.</summary>
    public static string CliAssembly => Path.Combine(AppContext.BaseDirectory, "callwaiting.dll");

    /// <summary>
    /// Starts a server with <paramref name="environment"/> (CALLWAITING_DB, CALLWAITING_REDIS, …; a null value removes a
    /// variable). CALLWAITING_DATA_DIR defaults to a fresh temp folder, CALLWAITING_BOOTSTRAP_KEY to a fresh key unless
    /// given (pass null to let the server print one), and one engine worker unless set. With <paramref name="https"/> the
    /// server also listens on an https:// loopback URL (it then needs CALLWAITING_TLS_CERT and CALLWAITING_TLS_KEY).
    /// </summary>
    public static async Task<ServerProcess> StartAsync(IReadOnlyDictionary<string, string?>? environment = null, bool https = false)
    {
        var env = new Dictionary<string, string?>(environment ?? new Dictionary<string, string?>());
        env.TryAdd("CALLWAITING_DATA_DIR", Directory.CreateTempSubdirectory("cw-api-data-").FullName);
        env.TryAdd("CALLWAITING_BOOTSTRAP_KEY", ApiKeyFormat.Generate());
        env.TryAdd("CALLWAITING_Speech__Workers", "1");
        env.TryAdd("CALLWAITING_DB", null);
        env.TryAdd("CALLWAITING_REDIS", null);

        var port = FreePort();
        var httpsPort = https ? FreePort() : 0;
        while (https && httpsPort == port) httpsPort = FreePort();
        var urls = https ? $"http://127.0.0.1:{port};https://127.0.0.1:{httpsPort}" : $"http://127.0.0.1:{port}";
        var info = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = env["CALLWAITING_DATA_DIR"]!,
        };
        foreach (var arg in new[] { CliAssembly, "serve", "--urls", urls }) info.ArgumentList.Add(arg);
        foreach (var (name, value) in env)
        {
            if (value is null) info.Environment.Remove(name);
            else info.Environment[name] = value;
        }

        var process = new Process { StartInfo = info };
        var server = new ServerProcess(process, new Uri($"http://127.0.0.1:{port}/"), https ? new Uri($"https://127.0.0.1:{httpsPort}/") : null,
            env["CALLWAITING_BOOTSTRAP_KEY"] ?? "");
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await server.WaitUntilReadyAsync();
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        if (server.BootstrapKey.Length == 0)
        {
            var line = server.Output.Split('\n').FirstOrDefault(l => l.StartsWith("API key: ", StringComparison.Ordinal));
            server.BootstrapKey = line?["API key: ".Length..].Trim() ?? "";
        }

        return server;
    }

    /// <summary>A request to <paramref name="path"/> carrying <paramref name="key"/> in x-api-key.</summary>
    public static HttpRequestMessage Request(HttpMethod method, string path, string? key, HttpContent? content = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        Authorize(request, key);
        return request;
    }

    /// <summary>Sends SIGTERM and waits for the process to exit; returns its exit code.</summary>
    public async Task<int> StopAsync(TimeSpan? timeout = null)
    {
        if (!_process.HasExited)
        {
            _ = Kill(_process.Id, SigTerm);
            using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
            await _process.WaitForExitAsync(cts.Token);
        }

        return _process.ExitCode;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!_process.HasExited)
        {
            try
            {
                await StopAsync(TimeSpan.FromSeconds(30));
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        _process.Dispose();
    }

    private async Task WaitUntilReadyAsync()
    {
        var clock = Stopwatch.StartNew();
        using var probe = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        while (clock.Elapsed < ReadyTimeout)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"The server exited with {_process.ExitCode} before it was ready:\n{Output}");
            try
            {
                using var response = await probe.GetAsync("ready");
                if (response.StatusCode == HttpStatusCode.OK) return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"The server was not ready within {ReadyTimeout}:\n{Output}");
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
