namespace CallWaiting.Speech.Codecs;

/// <summary>The CRC-32 of Ogg pages: polynomial 0x04C11DB7, MSB-first (not reflected), initial value 0, no final XOR.</summary>
internal static class OggCrc
{
    private static readonly uint[] Table = BuildTable();

    /// <summary>Computes the checksum of <paramref name="data"/>.</summary>
    public static uint Compute(ReadOnlySpan<byte> data)
    {
        var table = Table;
        uint crc = 0;
        foreach (var b in data) crc = (crc << 8) ^ table[(byte)(crc >> 24) ^ b];
        return crc;
    }

    private static uint[] BuildTable()
    {
        const uint polynomial = 0x04C11DB7;
        var table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            var r = i << 24;
            for (var bit = 0; bit < 8; bit++) r = (r & 0x80000000) != 0 ? (r << 1) ^ polynomial : r << 1;
            table[i] = r;
        }
        return table;
    }
}
