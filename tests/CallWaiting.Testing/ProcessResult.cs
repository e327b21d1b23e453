namespace CallWaiting.Testing;

/// <summary>How a child process ended: its exit code and everything it wrote.</summary>
public sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError);
