using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace CallWaiting.Server.Cache;

/// <summary>
/// Accumulates the fields that decide a rendering (text, voice, every parameter, engine version) into one
/// unambiguous byte string and hashes it. Every field is length-prefixed or fixed-size, so no two different
/// field lists produce the same bytes. Uses a pooled buffer: building a key allocates nothing.
/// </summary>
public struct AudioCacheKeyBuilder : IDisposable
{
    private byte[] _buffer;
    private int _length;

    /// <summary>Starts a key with a capacity hint in bytes.</summary>
    public AudioCacheKeyBuilder(int capacityHint)
    {
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(capacityHint, 256));
        _length = 0;
    }

    /// <summary>Adds a string (UTF-8, length-prefixed); null and empty differ.</summary>
    public void Add(string? value)
    {
        if (value is null) Add(-1);
        else Add(value.AsSpan());
    }

    /// <summary>Adds text (UTF-8, length-prefixed).</summary>
    public void Add(ReadOnlySpan<char> value)
    {
        var max = Encoding.UTF8.GetMaxByteCount(value.Length);
        Ensure(4 + max);
        var written = Encoding.UTF8.GetBytes(value, _buffer.AsSpan(_length + 4));
        BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(_length), written);
        _length += 4 + written;
    }

    /// <summary>Adds a 32-bit integer.</summary>
    public void Add(int value)
    {
        Ensure(4);
        BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(_length), value);
        _length += 4;
    }

    /// <summary>Adds a 64-bit integer.</summary>
    public void Add(long value)
    {
        Ensure(8);
        BinaryPrimitives.WriteInt64LittleEndian(_buffer.AsSpan(_length), value);
        _length += 8;
    }

    /// <summary>Adds a double by its exact bits.</summary>
    public void Add(double value) => Add(BitConverter.DoubleToInt64Bits(value));

    /// <summary>Adds a boolean.</summary>
    public void Add(bool value) => Add(value ? 1 : 0);

    /// <summary>Adds an optional integer; null differs from every value.</summary>
    public void Add(int? value)
    {
        Add(value.HasValue);
        Add(value.GetValueOrDefault());
    }

    /// <summary>Adds a GUID.</summary>
    public void Add(Guid value)
    {
        Ensure(16);
        value.TryWriteBytes(_buffer.AsSpan(_length, 16));
        _length += 16;
    }

    /// <summary>The SHA-256 of everything added.</summary>
    public readonly AudioCacheKey Build()
    {
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(_buffer.AsSpan(0, _length), digest);
        return AudioCacheKey.FromDigest(digest);
    }

    /// <summary>Returns the pooled buffer.</summary>
    public void Dispose()
    {
        if (_buffer is null) return;
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = null!;
    }

    private void Ensure(int more)
    {
        if (_length + more <= _buffer.Length) return;
        var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _length + more));
        _buffer.AsSpan(0, _length).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = bigger;
    }
}
