using System.Buffers.Binary;
using System.Text;

namespace CallWaiting.Speech.Workers;

/// <summary>Reads protocol values from a frame payload, throwing <see cref="WorkerProtocolException"/> on anything malformed.</summary>
internal ref struct PayloadReader(ReadOnlySpan<byte> payload)
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly ReadOnlySpan<byte> _payload = payload;
    private int _position;

    /// <summary>Bytes not read yet.</summary>
    public readonly int Remaining => _payload.Length - _position;

    public byte ReadByte() => Take(1)[0];

    public uint ReadUInt32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(sizeof(uint)));

    public int ReadInt32() => BinaryPrimitives.ReadInt32LittleEndian(Take(sizeof(int)));

    public long ReadInt64() => BinaryPrimitives.ReadInt64LittleEndian(Take(sizeof(long)));

    public double ReadDouble() => BinaryPrimitives.ReadDoubleLittleEndian(Take(sizeof(double)));

    public bool ReadFlag() => ReadByte() switch
    {
        0 => false,
        1 => true,
        var other => throw new WorkerProtocolException($"Invalid presence flag {other}."),
    };

    public string ReadString()
    {
        var bytes = Take(ReadCount(1));
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            throw new WorkerProtocolException("A string is not valid UTF-8.", e);
        }
    }

    public string? ReadOptionalString() => ReadFlag() ? ReadString() : null;

    public int? ReadOptionalInt32() => ReadFlag() ? ReadInt32() : null;

    /// <summary>Reads a u32 element count and checks that that many elements of at least <paramref name="minElementSize"/> bytes can follow.</summary>
    public int ReadCount(int minElementSize)
    {
        var count = ReadUInt32();
        if (count > (uint)(Remaining / minElementSize)) throw Truncated();
        return (int)count;
    }

    public ReadOnlySpan<byte> ReadBytes(int count) => Take(count);

    /// <summary>Everything not read yet.</summary>
    public ReadOnlySpan<byte> ReadRest() => Take(Remaining);

    /// <summary>Fails when bytes are left over: a payload must parse exactly.</summary>
    public readonly void EnsureEnd()
    {
        if (Remaining != 0) throw new WorkerProtocolException($"{Remaining} unexpected trailing bytes in a payload.");
    }

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count < 0 || count > Remaining) throw Truncated();
        var slice = _payload.Slice(_position, count);
        _position += count;
        return slice;
    }

    private static WorkerProtocolException Truncated() => new("A payload is shorter than its contents claim.");
}
