using System.Diagnostics;

namespace CallWaiting.Speech.Tests.Support;

/// <summary>Runs the reference command-line tools (sox, soxi, opusinfo, opusdec, flac) with a timeout.</summary>
internal static class Cli
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>Runs a tool and fails the test, with its output, on a non-zero exit code.</summary>
    public static (string Stdout, string Stderr) Run(string tool, params string[] args)
    {
        var (code, stdout, stderr) = TryRun(tool, args);
        Assert.True(code == 0, $"{tool} {string.Join(' ', args)} exited with {code}: {stderr}{stdout}");
        return (stdout, stderr);
    }

    /// <summary>Runs a tool and returns its exit code and output; a tool that hangs is killed and throws.</summary>
    public static (int ExitCode, string Stdout, string Stderr) TryRun(string tool, params string[] args)
    {
        var start = new ProcessStartInfo(tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {tool}.");
        // Both streams are drained concurrently so a tool that fills one pipe cannot block on it.
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{tool} did not finish within {Timeout}.");
        }
        return (process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
    }
}
