namespace CallWaiting.Server.Tts;

/// <summary>A complete rendering held in memory.</summary>
/// <param name="Audio">The encoded file.</param>
/// <param name="SampleRate">Its sample rate.</param>
/// <param name="Seconds">Seconds of audio.</param>
/// <param name="Words">Every word with its timing, none ending after the audio.</param>
public sealed record RenderedAudio(ReadOnlyMemory<byte> Audio, int SampleRate, double Seconds, IReadOnlyList<WordTiming> Words)
{
    /// <summary>The audio's duration in whole milliseconds.</summary>
    public long DurationMs => (long)Math.Round(Seconds * 1000);
}
