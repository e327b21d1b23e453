using System.Buffers.Binary;

namespace CallWaiting.Speech.Codecs;

/// <summary>The 44-byte RIFF/WAVE header of a PCM16 mono stream, and the fix-up of its sizes once the length is known.</summary>
/// <remarks>
/// A streamed WAV is sent before its length is known, so <see cref="WavEncoder"/> writes
/// <see cref="UnknownLength"/> (0xFFFFFFFF) as both the RIFF and the data chunk size, the de-facto convention for
/// "until end of stream". Players that read the data to its end accept it: sox decodes every sample (warning
/// "Premature EOF"), and ffmpeg's WAV demuxer ignores that size and reads to the end of the input. Tools that
/// trust the header instead report a bogus duration (soxi shows about 74 hours at 8 kHz). When the output lands
/// in a seekable file, <see cref="Patch"/> writes the real sizes.
/// </remarks>
public static class WavHeader
{
    /// <summary>Length of the canonical header: RIFF, fmt and data chunk headers.</summary>
    public const int Size = 44;

    /// <summary>The size value that stands for "unknown, read to end of stream".</summary>
    public const uint UnknownLength = 0xFFFFFFFF;

    private const ushort PcmFormatTag = 1;
    private const ushort BitsPerSample = 16;
    private const ushort BlockAlign = BitsPerSample / 8;

    /// <summary>Writes a PCM16 mono header; <paramref name="dataBytes"/> of <see cref="UnknownLength"/> marks a stream.</summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <see cref="Size"/>.</exception>
    public static void Write(Span<byte> destination, int sampleRate, uint dataBytes)
    {
        if (destination.Length < Size) throw new ArgumentException($"The header needs {Size} bytes.", nameof(destination));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleRate);
        var riffBytes = dataBytes == UnknownLength ? UnknownLength : checked(dataBytes + (Size - 8));
        "RIFF"u8.CopyTo(destination);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[4..], riffBytes);
        "WAVEfmt "u8.CopyTo(destination[8..]);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[16..], 16);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[20..], PcmFormatTag);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[22..], 1);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[24..], (uint)sampleRate);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[28..], (uint)sampleRate * BlockAlign);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[32..], BlockAlign);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[34..], BitsPerSample);
        "data"u8.CopyTo(destination[36..]);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[40..], dataBytes);
    }

    /// <summary>
    /// Rewrites the RIFF and data chunk sizes of a complete WAV file from the stream's length, so tools that trust
    /// the header see the true duration. The data chunk is taken to run to the end of the stream.
    /// The stream's position is restored afterwards.
    /// </summary>
    /// <returns>True when patched; false when the file exceeds the 4 GiB a RIFF size can express and keeps the "unknown" sizes.</returns>
    /// <exception cref="ArgumentException">The stream cannot read, write and seek.</exception>
    /// <exception cref="InvalidDataException">The stream is not a RIFF/WAVE file with a data chunk.</exception>
    public static bool Patch(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanSeek || !stream.CanRead || !stream.CanWrite)
        {
            throw new ArgumentException("Patching a WAV header needs a readable, writable, seekable stream.", nameof(stream));
        }
        var start = stream.Position;
        try
        {
            var length = stream.Length;
            Span<byte> chunk = stackalloc byte[12];
            stream.Position = 0;
            stream.ReadExactly(chunk);
            if (!chunk[..4].SequenceEqual("RIFF"u8) || !chunk[8..12].SequenceEqual("WAVE"u8))
            {
                throw new InvalidDataException("Not a RIFF/WAVE stream.");
            }
            var dataOffset = FindDataChunk(stream, length, chunk[..8]);
            var dataBytes = length - dataOffset;
            if (length - 8 >= UnknownLength) return false;
            Span<byte> size = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32LittleEndian(size, (uint)(length - 8));
            stream.Position = 4;
            stream.Write(size);
            BinaryPrimitives.WriteUInt32LittleEndian(size, (uint)dataBytes);
            stream.Position = dataOffset - 4;
            stream.Write(size);
            return true;
        }
        finally
        {
            stream.Position = start;
        }
    }

    // Walks the chunks after "WAVE" and returns the offset of the data chunk's payload.
    private static long FindDataChunk(Stream stream, long length, Span<byte> chunkHeader)
    {
        var position = 12L;
        while (position + 8 <= length)
        {
            stream.Position = position;
            stream.ReadExactly(chunkHeader);
            if (chunkHeader[..4].SequenceEqual("data"u8)) return position + 8;
            var chunkBytes = BinaryPrimitives.ReadUInt32LittleEndian(chunkHeader[4..]);
            if (chunkBytes == UnknownLength) break;
            // RIFF chunks are padded to an even length.
            position += 8 + chunkBytes + (chunkBytes & 1);
        }
        throw new InvalidDataException("The WAV stream has no data chunk.");
    }
}
