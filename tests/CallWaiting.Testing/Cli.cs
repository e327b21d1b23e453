namespace CallWaiting.Testing;

/// <summary>Runs the reference command-line tools (sox, soxi, opusinfo, opusdec, flac) and fails the test when one fails.</summary>
public static class Cli
{
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
        var result = ProcessRunner.Run(tool, args);
        return (result.ExitCode, result.StandardOutput, result.StandardError);
    }
}
