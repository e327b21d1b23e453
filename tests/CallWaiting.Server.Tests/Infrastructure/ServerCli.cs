using System.Diagnostics;

namespace CallWaiting.Server.Tests.Infrastructure;

/// <summary>Runs `dotnet callwaiting.dll ARGS` with an environment and captures its exit code and output.</summary>
public static class ServerCli
{
    /// <summary>The result of one CLI run.</summary>
    public sealed record Result(int ExitCode, string StandardOutput, string StandardError);

    /// <summary>Runs the CLI to completion (60 s at most).</summary>
    public static async Task<Result> RunAsync(IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(ServerProcess.CliAssembly);
        foreach (var arg in args) info.ArgumentList.Add(arg);
        info.Environment.Remove("CALLWAITING_DB");
        info.Environment.Remove("CALLWAITING_REDIS");
        foreach (var (name, value) in environment)
        {
            if (value is null) info.Environment.Remove(name);
            else info.Environment[name] = value;
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(cts.Token);
        return new Result(process.ExitCode, await stdout, await stderr);
    }
}
