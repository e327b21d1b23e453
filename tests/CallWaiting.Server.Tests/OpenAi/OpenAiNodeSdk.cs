using System.Diagnostics;

namespace CallWaiting.Server.Tests.OpenAi;

/// <summary>Runs tests/node/openai-sdk/speech.mjs (the official `openai` npm SDK) with `node` against a server.</summary>
internal static class OpenAiNodeSdk
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    /// <summary>The folder of the Node test, found from the test binaries up to the repository root.</summary>
    public static string Folder
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "CallWaiting.sln"))) return Path.Combine(dir.FullName, "tests", "node", "openai-sdk");
            }
            throw new InvalidOperationException($"No repository root (CallWaiting.sln) above {AppContext.BaseDirectory}.");
        }
    }

    /// <summary>Runs the script, writing into <paramref name="outDir"/>; fails the test with the script's output unless it exits 0.</summary>
    public static async Task RunAsync(Uri baseUrl, string apiKey, string outDir)
    {
        var folder = Folder;
        Assert.True(File.Exists(Path.Combine(folder, "node_modules", "openai", "package.json")),
            $"The openai npm package is not installed: run `npm ci --no-audit --no-fund` in {folder} (scripts/test.sh does).");

        var info = new ProcessStartInfo("node") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = folder };
        info.ArgumentList.Add("speech.mjs");
        info.Environment["OPENAI_BASE_URL"] = baseUrl.ToString();
        info.Environment["OPENAI_API_KEY"] = apiKey;
        info.Environment["OUT_DIR"] = outDir;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"node speech.mjs did not finish within {Timeout}.");
        }

        var output = await stdout + await stderr;
        Assert.True(process.ExitCode == 0, $"node speech.mjs exited with {process.ExitCode}:\n{output}");
    }
}
