namespace CallWaiting.Speech.Synthesis;

/// <summary>One piece of an encoded rendering, as it is produced: bytes to send, the audio they carry and the words timed so far.</summary>
/// <param name="Audio">Encoded bytes; concatenating every piece gives the whole file.</param>
/// <param name="Samples">Output samples the piece completes (the encoder may hold a few back until the next piece).</param>
/// <param name="Words">Words whose timing became complete with this piece, in milliseconds from the start of the audio.</param>
public readonly record struct AudioPiece(ReadOnlyMemory<byte> Audio, int Samples, IReadOnlyList<WordTiming> Words);
