using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace CallWaiting.Speech.Codecs.Native;

/// <summary>
/// libFLAC's FLAC__StreamMetadata (format.h) as far as its STREAMINFO member: the header fields, then the union, which
/// starts 8-byte aligned (it holds 64-bit integers and pointers), so at offset 16.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct FlacStreamInfoMetadata
{
    /// <summary>FLAC__METADATA_TYPE_STREAMINFO.</summary>
    public const int StreamInfoType = 0;

    /// <summary>Length of a serialized STREAMINFO block body.</summary>
    public const int SerializedSize = 34;

    public int Type;
    public int IsLast;
    public uint Length;
    private readonly uint _unionAlignment;
    public uint MinBlockSize;
    public uint MaxBlockSize;
    public uint MinFrameSize;
    public uint MaxFrameSize;
    public uint SampleRate;
    public uint Channels;
    public uint BitsPerSample;
    public ulong TotalSamples;
    public fixed byte Md5[16];

    /// <summary>The block body as it is stored in a file (big-endian bit fields, FLAC format §8.2).</summary>
    public readonly byte[] Serialize()
    {
        var bytes = new byte[SerializedSize];
        var span = bytes.AsSpan();
        BinaryPrimitives.WriteUInt16BigEndian(span, (ushort)MinBlockSize);
        BinaryPrimitives.WriteUInt16BigEndian(span[2..], (ushort)MaxBlockSize);
        WriteUInt24(span[4..], MinFrameSize);
        WriteUInt24(span[7..], MaxFrameSize);
        // 20 bits rate, 3 bits channels - 1, 5 bits bits per sample - 1, 36 bits total samples.
        var packed = ((ulong)SampleRate << 44) | ((ulong)(Channels - 1) << 41) | ((ulong)(BitsPerSample - 1) << 36) | (TotalSamples & 0xF_FFFF_FFFF);
        BinaryPrimitives.WriteUInt64BigEndian(span[10..], packed);
        for (var i = 0; i < 16; i++) span[18 + i] = Md5[i];
        return bytes;
    }

    private static void WriteUInt24(Span<byte> destination, uint value)
    {
        destination[0] = (byte)(value >> 16);
        destination[1] = (byte)(value >> 8);
        destination[2] = (byte)value;
    }
}
