using System.Buffers.Binary;

namespace CallWaiting.Speech.Tests.Codecs;

/// <summary>One parsed Ogg page.</summary>
internal sealed record CodecsOggPage(byte Flags, long Granule, uint Serial, uint Sequence, byte[] Lacing, byte[] Body)
{
    public bool Continued => (Flags & 1) != 0;
    public bool BeginOfStream => (Flags & 2) != 0;
    public bool EndOfStream => (Flags & 4) != 0;
}

/// <summary>A test-side Ogg reader, written from RFC 3533 independently of the encoder's page writer.</summary>
internal static class CodecsOggReader
{
    /// <summary>Splits a stream into pages, checking capture pattern, version and CRC of each.</summary>
    public static List<CodecsOggPage> ReadPages(ReadOnlySpan<byte> stream)
    {
        var pages = new List<CodecsOggPage>();
        while (!stream.IsEmpty)
        {
            Assert.True(stream.Length >= 27, "Truncated page header.");
            Assert.True(stream[..4].SequenceEqual("OggS"u8), "Missing capture pattern.");
            Assert.Equal(0, stream[4]);
            var segments = stream[26];
            var lacing = stream.Slice(27, segments).ToArray();
            var bodyLength = lacing.Sum(b => b);
            var pageLength = 27 + segments + bodyLength;
            var page = stream[..pageLength].ToArray();
            var storedCrc = BinaryPrimitives.ReadUInt32LittleEndian(page.AsSpan(22));
            page.AsSpan(22, 4).Clear();
            Assert.Equal(BitwiseCrc(page), storedCrc);
            pages.Add(new CodecsOggPage(
                stream[5],
                BinaryPrimitives.ReadInt64LittleEndian(stream[6..]),
                BinaryPrimitives.ReadUInt32LittleEndian(stream[14..]),
                BinaryPrimitives.ReadUInt32LittleEndian(stream[18..]),
                lacing,
                stream.Slice(27 + segments, bodyLength).ToArray()));
            stream = stream[pageLength..];
        }
        return pages;
    }

    /// <summary>Reassembles the packets from the pages' lacing values.</summary>
    public static List<byte[]> ReadPackets(IEnumerable<CodecsOggPage> pages)
    {
        var packets = new List<byte[]>();
        var current = new List<byte>();
        foreach (var page in pages)
        {
            Assert.Equal(current.Count > 0, page.Continued);
            var offset = 0;
            foreach (var lace in page.Lacing)
            {
                current.AddRange(page.Body.AsSpan(offset, lace).ToArray());
                offset += lace;
                if (lace < 255)
                {
                    packets.Add([.. current]);
                    current.Clear();
                }
            }
        }
        Assert.Empty(current);
        return packets;
    }

    /// <summary>Bit-at-a-time CRC-32, polynomial 0x04C11DB7, MSB first, initial 0, no final XOR.</summary>
    public static uint BitwiseCrc(ReadOnlySpan<byte> data)
    {
        uint crc = 0;
        foreach (var b in data)
        {
            crc ^= (uint)b << 24;
            for (var bit = 0; bit < 8; bit++) crc = (crc & 0x80000000) != 0 ? (crc << 1) ^ 0x04C11DB7 : crc << 1;
        }
        return crc;
    }
}
