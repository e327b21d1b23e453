namespace CallWaiting.Speech.Engines;

/// <summary>A voice as an engine offers it.</summary>
/// <param name="Id">Catalog slug, unique across engines, e.g. "flite-slt" or "espeak-en-gb".</param>
/// <param name="Engine">Engine name.</param>
/// <param name="NativeName">The name the engine itself uses ("slt", "en-gb+f3").</param>
/// <param name="DisplayName">Human-readable name.</param>
/// <param name="Language">BCP-47 language tag.</param>
/// <param name="Gender">Perceived gender of the voice.</param>
/// <param name="SampleRate">Native output sample rate.</param>
/// <param name="Quality">Rough quality tier.</param>
public sealed record EngineVoice(
    string Id,
    string Engine,
    string NativeName,
    string DisplayName,
    string Language,
    VoiceGender Gender,
    int SampleRate,
    VoiceQuality Quality);

/// <summary>Perceived gender of a voice.</summary>
public enum VoiceGender { Neutral, Female, Male }

/// <summary>Quality tier, lowest first.</summary>
public enum VoiceQuality { Robotic, Standard, Natural, Neural }
