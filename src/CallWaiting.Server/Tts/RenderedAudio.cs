using CallWaiting.Speech.Synthesis;

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

    /// <summary>Joins a rendering's pieces, in order, into the whole file at <paramref name="sampleRate"/>, no word ending after the audio.</summary>
    public static RenderedAudio Join(IReadOnlyList<AudioPiece> pieces, int sampleRate)
    {
        ArgumentNullException.ThrowIfNull(pieces);
        var audio = new byte[pieces.Sum(p => p.Audio.Length)];
        var at = 0;
        long samples = 0;
        var words = new List<WordTiming>();
        foreach (var piece in pieces)
        {
            piece.Audio.Span.CopyTo(audio.AsSpan(at));
            at += piece.Audio.Length;
            samples += piece.Samples;
            words.AddRange(piece.Words);
        }
        var seconds = (double)samples / sampleRate;
        return new RenderedAudio(audio, sampleRate, seconds, WordTimings.EndBy(words, seconds));
    }

    /// <summary>The whole rendering as one piece, for consumers of pieces (a cache hit streamed like a rendering).</summary>
    public AudioPiece AsPiece() => new(Audio, (int)Math.Round(Seconds * SampleRate), Words);
}
