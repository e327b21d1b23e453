namespace CallWaiting.Cli.Models;

/// <summary>One model as `models list --json` prints it: what the server's loader made of it.</summary>
internal sealed record ModelRow(
    string Name, string File, string Engine, string Status, string? Reason, IReadOnlyList<string> Voices,
    string? Language, string? Quality, int? SampleRate, long SizeBytes);
