namespace CallWaiting.Server.Tts;

/// <summary>A complete rendering held in memory.</summary>
/// <param name="Audio">The encoded file.</param>
/// <param name="SampleRate">Its sample rate.</param>
/// <param name="Seconds">Seconds of audio.</param>
/// <param name="FirstAudio">Time from the start to the first synthesized chunk.</param>
public sealed record RenderedAudio(byte[] Audio, int SampleRate, double Seconds, TimeSpan FirstAudio);
