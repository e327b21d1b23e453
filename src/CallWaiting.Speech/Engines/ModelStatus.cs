namespace CallWaiting.Speech.Engines;

/// <summary>One model found at start-up: loaded with its voices, or skipped and why.</summary>
/// <param name="File">The model's graph (a Kokoro folder that has no single graph: the folder).</param>
/// <param name="Engine">The engine that would run it ("piper", "kokoro").</param>
/// <param name="Loaded">Whether it loaded and passed its warm-up run.</param>
/// <param name="Reason">Why it was skipped; null when loaded.</param>
/// <param name="Voices">The voice ids it offers (none when skipped).</param>
public sealed record ModelStatus(string File, string Engine, bool Loaded, string? Reason, IReadOnlyList<string> Voices);
