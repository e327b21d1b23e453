namespace CallWaiting.Speech.Engines;

/// <summary>What an engine supports; the synthesizer uses it to decide what to do itself.</summary>
/// <param name="NativeRate">The engine can change speaking rate without changing pitch.</param>
/// <param name="NativePitch">The engine can shift pitch (nothing else does: without it, <see cref="Prosody.Pitch"/> is lost).</param>
/// <param name="WordEvents">The engine reports word boundaries (nothing approximates them: without it, audio has no word timings).</param>
/// <param name="Phonemes">The engine accepts phoneme input.</param>
/// <param name="Cloning">The engine can clone a voice from reference audio (not used yet).</param>
/// <param name="Deterministic">The same input gives byte-identical audio.</param>
/// <param name="MaxChunkChars">Longest text chunk to give the engine in one call.</param>
public sealed record EngineCapabilities(
    bool NativeRate,
    bool NativePitch,
    bool WordEvents,
    bool Phonemes,
    bool Cloning,
    bool Deterministic,
    int MaxChunkChars);
