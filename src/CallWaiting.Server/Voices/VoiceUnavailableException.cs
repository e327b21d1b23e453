namespace CallWaiting.Server.Voices;

/// <summary>A voice exists for the caller, but the engine that speaks it is not loaded on this server and it names no fallback.</summary>
public sealed class VoiceUnavailableException(string slug, string engine)
    : Exception($"Voice '{slug}' is spoken by the {engine} engine, which is not loaded on this server.");
