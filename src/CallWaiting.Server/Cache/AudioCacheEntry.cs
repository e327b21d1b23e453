using System.Buffers.Binary;

namespace CallWaiting.Server.Cache;

/// <summary>One cached rendering: the encoded bytes exactly as the miss sent them, plus what a hit needs to answer and meter.</summary>
/// <param name="Audio">The complete encoded response body.</param>
/// <param name="SampleRate">The audio's sample rate (for the content type and JSON answers).</param>
/// <param name="AudioSeconds">Seconds of audio, metered again on every hit.</param>
public sealed record AudioCacheEntry(ReadOnlyMemory<byte> Audio, int SampleRate, double AudioSeconds)
{
    private const uint Magic = 0x31415743; // "CWA1", little-endian
    private const int HeaderSize = 16;

    /// <summary>Bytes the entry occupies in memory, roughly: the audio plus fixed overhead.</summary>
    public long Size => Audio.Length + 128;

    /// <summary>The entry as stored in Redis and on disk: a 16-byte header (magic, rate, seconds) and the audio.</summary>
    public byte[] Serialize()
    {
        var bytes = new byte[HeaderSize + Audio.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, Magic);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(4), SampleRate);
        BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(8), AudioSeconds);
        Audio.Span.CopyTo(bytes.AsSpan(HeaderSize));
        return bytes;
    }

    /// <summary>Reads a stored entry without copying the audio; null when the bytes are not a valid entry.</summary>
    public static AudioCacheEntry? Deserialize(ReadOnlyMemory<byte> stored)
    {
        var span = stored.Span;
        if (span.Length <= HeaderSize || BinaryPrimitives.ReadUInt32LittleEndian(span) != Magic) return null;
        var rate = BinaryPrimitives.ReadInt32LittleEndian(span[4..]);
        var seconds = BinaryPrimitives.ReadDoubleLittleEndian(span[8..]);
        if (rate is < 1 or > 1_000_000 || !double.IsFinite(seconds) || seconds < 0) return null;
        return new AudioCacheEntry(stored[HeaderSize..], rate, seconds);
    }
}
