namespace CallWaiting.Testing;

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

        var result = await ProcessRunner.RunAsync("node", [script], environment.ToDictionary(e => e.Key, e => (string?)e.Value), path, timeout);
        var output = result.StandardOutput;
        Assert.True(result.ExitCode == 0, $"node {script} exited with {result.ExitCode}:\n{output}{result.StandardError}");
        return output;
    }
}
