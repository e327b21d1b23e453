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
/// <param name="ModelVersion">
/// Identity of the model file behind the voice (neural voices), so audio cached from a replaced model is never served
/// for the new one; null for voices built into an engine.
/// </param>
public sealed record EngineVoice(
    string Id,
    string Engine,
    string NativeName,
    string DisplayName,
    string Language,
    VoiceGender Gender,
    int SampleRate,
    VoiceQuality Quality,
    string? ModelVersion = null);

/// <summary>Perceived gender of a voice.</summary>
public enum VoiceGender
{
    /// <summary>Neither clearly female nor clearly male, or not stated by the engine.</summary>
    Neutral,

    /// <summary>Heard as a female voice.</summary>
    Female,

    /// <summary>Heard as a male voice.</summary>
    Male,
}

/// <summary>Quality tier, lowest first.</summary>
public enum VoiceQuality
{
    /// <summary>Clearly synthetic: formant synthesis (eSpeak NG) or low-rate diphones (Flite KAL at 8 kHz).</summary>
    Robotic,

    /// <summary>Intelligible but flat: wideband diphone concatenation (Flite KAL16).</summary>
    Standard,

    /// <summary>Close to a recorded speaker: statistical parametric voices trained on one speaker (Flite SLT, RMS, AWB).</summary>
    Natural,

    /// <summary>Neural network models, the most human-like tier.</summary>
    Neural,
}
