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

    /// <summary>The whole rendering as one piece, for consumers of pieces (a cache hit streamed like a rendering).</summary>
    public AudioPiece AsPiece() => new(Audio, (int)Math.Round(Seconds * SampleRate), Words);
}
