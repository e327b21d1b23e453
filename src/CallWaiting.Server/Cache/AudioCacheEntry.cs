using System.Buffers.Binary;
using System.Text;
using CallWaiting.Speech.Synthesis;

namespace CallWaiting.Server.Cache;

/// <summary>One cached rendering: the encoded bytes exactly as the miss sent them, plus what a hit needs to answer and meter.</summary>
/// <param name="Audio">The complete encoded response body.</param>
/// <param name="SampleRate">The audio's sample rate (for the content type and JSON answers).</param>
/// <param name="AudioSeconds">Seconds of audio, metered again on every hit.</param>
/// <param name="Words">The words and their timings, so that the timestamp endpoints can answer from the cache too.</param>
public sealed record AudioCacheEntry(ReadOnlyMemory<byte> Audio, int SampleRate, double AudioSeconds, IReadOnlyList<WordTiming> Words)
{
    private const uint Magic = 0x32415743; // "CWA2", little-endian
    private const int HeaderSize = 24;
    private const int MaxWordBytes = 1024;

    /// <summary>An entry without word timings.</summary>
    public AudioCacheEntry(ReadOnlyMemory<byte> audio, int sampleRate, double audioSeconds)
        : this(audio, sampleRate, audioSeconds, [])
    {
    }

    /// <summary>Bytes the entry occupies in memory, roughly: the audio, the words and fixed overhead.</summary>
    public long Size => Audio.Length + 128 + Words.Count * 64L;

    /// <summary>
    /// The entry as stored in Redis and on disk: a 24-byte header (magic, rate, seconds, audio length, word count), the
    /// audio, then per word its start and end (ms, int64) and its UTF-8 text (uint16 length first).
    /// </summary>
    public byte[] Serialize()
    {
        var texts = new string[Words.Count];
        var wordBytes = 0;
        for (var i = 0; i < texts.Length; i++)
        {
            texts[i] = Truncate(Words[i].Word);
            wordBytes += 18 + Encoding.UTF8.GetByteCount(texts[i]);
        }
        var bytes = new byte[HeaderSize + Audio.Length + wordBytes];
        var span = bytes.AsSpan();
        BinaryPrimitives.WriteUInt32LittleEndian(span, Magic);
        BinaryPrimitives.WriteInt32LittleEndian(span[4..], SampleRate);
        BinaryPrimitives.WriteDoubleLittleEndian(span[8..], AudioSeconds);
        BinaryPrimitives.WriteInt32LittleEndian(span[16..], Audio.Length);
        BinaryPrimitives.WriteInt32LittleEndian(span[20..], Words.Count);
        Audio.Span.CopyTo(span[HeaderSize..]);
        var at = HeaderSize + Audio.Length;
        for (var i = 0; i < texts.Length; i++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(span[at..], Words[i].StartMs);
            BinaryPrimitives.WriteInt64LittleEndian(span[(at + 8)..], Words[i].EndMs);
            var length = Encoding.UTF8.GetBytes(texts[i], span[(at + 18)..]);
            BinaryPrimitives.WriteUInt16LittleEndian(span[(at + 16)..], (ushort)length);
            at += 18 + length;
        }
        return bytes;
    }

    /// <summary>Reads a stored entry without copying the audio; null when the bytes are not a valid entry.</summary>
    public static AudioCacheEntry? Deserialize(ReadOnlyMemory<byte> stored)
    {
        var span = stored.Span;
        if (span.Length < HeaderSize || BinaryPrimitives.ReadUInt32LittleEndian(span) != Magic) return null;
        var rate = BinaryPrimitives.ReadInt32LittleEndian(span[4..]);
        var seconds = BinaryPrimitives.ReadDoubleLittleEndian(span[8..]);
        var audioLength = BinaryPrimitives.ReadInt32LittleEndian(span[16..]);
        var wordCount = BinaryPrimitives.ReadInt32LittleEndian(span[20..]);
        if (rate is < 1 or > 1_000_000 || !double.IsFinite(seconds) || seconds < 0
            || audioLength <= 0 || audioLength > span.Length - HeaderSize || wordCount < 0 || wordCount > span.Length / 18) return null;

        var words = new WordTiming[wordCount];
        var at = HeaderSize + audioLength;
        for (var i = 0; i < wordCount; i++)
        {
            if (span.Length - at < 18) return null;
            var start = BinaryPrimitives.ReadInt64LittleEndian(span[at..]);
            var end = BinaryPrimitives.ReadInt64LittleEndian(span[(at + 8)..]);
            var length = BinaryPrimitives.ReadUInt16LittleEndian(span[(at + 16)..]);
            if (span.Length - at - 18 < length || start < 0 || end < start) return null;
            words[i] = new WordTiming(Encoding.UTF8.GetString(span.Slice(at + 18, length)), start, end);
            at += 18 + length;
        }
        return at == span.Length ? new AudioCacheEntry(stored.Slice(HeaderSize, audioLength), rate, seconds, words) : null;
    }

    // Words are single tokens; the cap (at most 3 UTF-8 bytes per UTF-16 char) only keeps a hostile or broken entry from claiming more than the length field holds.
    private static string Truncate(string word) =>
        Encoding.UTF8.GetByteCount(word) <= MaxWordBytes ? word : word[..(MaxWordBytes / 3)];
}
