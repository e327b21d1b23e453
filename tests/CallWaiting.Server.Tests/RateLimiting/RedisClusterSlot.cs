using System.Text;

namespace CallWaiting.Server.Tests.RateLimiting;

/// <summary>Redis Cluster's key-to-slot rule (CRC16/XMODEM of the hash tag, mod 16384), written from the cluster spec as an independent check.</summary>
internal static class RedisClusterSlot
{
    public static int Of(string key)
    {
        var open = key.IndexOf('{');
        if (open >= 0)
        {
            var close = key.IndexOf('}', open + 1);
            if (close > open + 1)
            {
                key = key[(open + 1)..close];
            }
        }

        ushort crc = 0;
        foreach (var b in Encoding.UTF8.GetBytes(key))
        {
            crc ^= (ushort)(b << 8);
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 0x8000) != 0 ? (ushort)((crc << 1) ^ 0x1021) : (ushort)(crc << 1);
            }
        }

        return crc % 16384;
    }
}
