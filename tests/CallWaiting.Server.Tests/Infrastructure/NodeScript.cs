using System.Diagnostics;

namespace CallWaiting.Server.Tests.Infrastructure;

/// <summary>Runs a Node test client under tests/node/&lt;folder&gt; (its npm packages installed by scripts/test.sh) and returns its standard output.</summary>
public static class NodeScript
{
    /// <summary>The folder of a Node test client, found from the test binaries up to the repository root.</summary>
    public static string Folder(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CallWaiting.sln"))) return Path.Combine(dir.FullName, "tests", "node", name);
        }
        throw new InvalidOperationException($"No repository root (CallWaiting.sln) above {AppContext.BaseDirectory}.");
    }

    /// <summary>
    /// Runs <paramref name="script"/> in the folder with <paramref name="environment"/>; fails the test with the script's
    /// output unless it exits 0 within <paramref name="timeout"/>, or when <paramref name="package"/> is not installed.
    /// </summary>
    public static async Task<string> RunAsync(string folder, string package, string script, IReadOnlyDictionary<string, string> environment, TimeSpan timeout)
    {
        var path = Folder(folder);
        Assert.True(File.Exists(Path.Combine(path, "node_modules", package, "package.json")),
            $"The {package} npm package is not installed: run `npm ci --no-audit --no-fund` in {path} (scripts/test.sh does).");

        var info = new ProcessStartInfo("node") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = path };
        info.ArgumentList.Add(script);
        foreach (var (name, value) in environment) info.Environment[name] = value;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"node {script} did not finish within {timeout}.");
        }

        var output = await stdout;
        Assert.True(process.ExitCode == 0, $"node {script} exited with {process.ExitCode}:\n{output}{await stderr}");
        return output;
    }
}
