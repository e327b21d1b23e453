namespace CallWaiting.Server.Tests.Infrastructure;

/// <summary>Runs `dotnet callwaiting.dll ARGS` with an environment and captures its exit code and output.</summary>
public static class ServerCli
{
    /// <summary>The result of one CLI run.</summary>
    public sealed record Result(int ExitCode, string StandardOutput, string StandardError);

    /// <summary>Runs the CLI to completion (60 s at most) without the runner's own CALLWAITING_DB and CALLWAITING_REDIS.</summary>
    public static async Task<Result> RunAsync(IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        var env = new Dictionary<string, string?> { ["CALLWAITING_DB"] = null, ["CALLWAITING_REDIS"] = null };
        foreach (var (name, value) in environment) env[name] = value;
        var result = await ProcessRunner.RunAsync("dotnet", [ServerProcess.CliAssembly, .. args], env);
        return new Result(result.ExitCode, result.StandardOutput, result.StandardError);
    }
}
