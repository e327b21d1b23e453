using System.Diagnostics;

namespace CallWaiting.Testing;

/// <summary>Runs a program to completion with a timeout, capturing its output: the one process runner of the tests.</summary>
public static class ProcessRunner
{
    /// <summary>How long a run may take unless the caller says otherwise.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Runs <paramref name="program"/> with <paramref name="args"/>; <paramref name="environment"/> sets variables (a null
    /// value removes one). A run that outlives <paramref name="timeout"/> is killed with its children and throws.
    /// </summary>
    public static async Task<ProcessResult> RunAsync(string program, IEnumerable<string> args,
        IReadOnlyDictionary<string, string?>? environment = null, string? workingDirectory = null, TimeSpan? timeout = null)
    {
        var info = new ProcessStartInfo(program) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        if (workingDirectory is not null) info.WorkingDirectory = workingDirectory;
        foreach (var arg in args) info.ArgumentList.Add(arg);
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null) info.Environment.Remove(name);
            else info.Environment[name] = value;
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {program}.");
        // Both streams are drained concurrently so a program that fills one pipe cannot block on it.
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        var limit = timeout ?? DefaultTimeout;
        using var cts = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', args)} did not finish within {limit}.");
        }

        return new ProcessResult(process.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
    }

    /// <summary>Like <see cref="RunAsync"/>, but a non-zero exit code throws with the program's output.</summary>
    public static async Task<ProcessResult> RunOrThrowAsync(string program, IEnumerable<string> args,
        IReadOnlyDictionary<string, string?>? environment = null, string? workingDirectory = null, TimeSpan? timeout = null)
    {
        var result = await RunAsync(program, args, environment, workingDirectory, timeout).ConfigureAwait(false);
        return result.ExitCode == 0 ? result
            : throw new InvalidOperationException($"{program} exited with {result.ExitCode}: {result.StandardError}{result.StandardOutput}");
    }

    /// <summary>The blocking form of <see cref="RunAsync"/>, for synchronous tests.</summary>
    public static ProcessResult Run(string program, IEnumerable<string> args, IReadOnlyDictionary<string, string?>? environment = null,
        string? workingDirectory = null, TimeSpan? timeout = null) =>
        RunAsync(program, args, environment, workingDirectory, timeout).GetAwaiter().GetResult();
}
