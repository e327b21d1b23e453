using System.Buffers.Binary;

namespace CallWaiting.Server.Cache;

/// <summary>A content address in the audio cache: the SHA-256 of everything that decides the audio (see <see cref="AudioCacheKeyBuilder"/>).</summary>
/// <remarks>A value type of four words, so in-process lookups hash and compare it without allocating.</remarks>
public readonly record struct AudioCacheKey(ulong A, ulong B, ulong C, ulong D)
{
    /// <summary>Reads a key from a 32-byte digest.</summary>
    public static AudioCacheKey FromDigest(ReadOnlySpan<byte> digest)
    {
        if (digest.Length != 32) throw new ArgumentException("An audio cache key is a 32-byte SHA-256 digest.", nameof(digest));
        return new AudioCacheKey(
            BinaryPrimitives.ReadUInt64BigEndian(digest),
            BinaryPrimitives.ReadUInt64BigEndian(digest[8..]),
            BinaryPrimitives.ReadUInt64BigEndian(digest[16..]),
            BinaryPrimitives.ReadUInt64BigEndian(digest[24..]));
    }

    /// <summary>The digest as 64 lower-case hex digits (the Redis key and file name).</summary>
    public override string ToString()
    {
        Span<byte> digest = stackalloc byte[32];
        BinaryPrimitives.WriteUInt64BigEndian(digest, A);
        BinaryPrimitives.WriteUInt64BigEndian(digest[8..], B);
        BinaryPrimitives.WriteUInt64BigEndian(digest[16..], C);
        BinaryPrimitives.WriteUInt64BigEndian(digest[24..], D);
        return Convert.ToHexStringLower(digest);
    }
}
