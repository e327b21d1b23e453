using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace CallWaiting.Speech.Workers;

/// <summary>
/// Builds one frame at a time in a pooled buffer and writes it to a stream in a single write, so a frame is never
/// interleaved with another or left half-written by an exception while building it.
/// </summary>
internal sealed class FrameWriter(Stream stream) : IDisposable
{
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(4096);
    private int _length;

    /// <summary>Starts a new frame, discarding anything built but not sent.</summary>
    public void Begin(WorkerFrameType type)
    {
        _buffer[4] = (byte)type;
        _length = WorkerProtocol.HeaderLength;
    }

    public void WriteByte(byte value) => Reserve(1)[0] = value;

    public void WriteUInt32(uint value) => BinaryPrimitives.WriteUInt32LittleEndian(Reserve(sizeof(uint)), value);

    public void WriteInt32(int value) => BinaryPrimitives.WriteInt32LittleEndian(Reserve(sizeof(int)), value);

    public void WriteInt64(long value) => BinaryPrimitives.WriteInt64LittleEndian(Reserve(sizeof(long)), value);

    public void WriteDouble(double value) => BinaryPrimitives.WriteDoubleLittleEndian(Reserve(sizeof(double)), value);

    public void WriteFlag(bool value) => WriteByte(value ? (byte)1 : (byte)0);

    public void WriteString(string value)
    {
        var count = Encoding.UTF8.GetByteCount(value);
        WriteUInt32((uint)count);
        Encoding.UTF8.GetBytes(value, Reserve(count));
    }

    public void WriteOptionalString(string? value)
    {
        WriteFlag(value is not null);
        if (value is not null) WriteString(value);
    }

    public void WriteOptionalInt32(int? value)
    {
        WriteFlag(value.HasValue);
        if (value is { } v) WriteInt32(v);
    }

    public void WriteBytes(ReadOnlySpan<byte> bytes) => bytes.CopyTo(Reserve(bytes.Length));

    /// <summary>Writes PCM16 samples little-endian.</summary>
    public void WriteSamples(ReadOnlySpan<short> samples)
    {
        var destination = Reserve(samples.Length * sizeof(short));
        if (BitConverter.IsLittleEndian)
        {
            MemoryMarshal.AsBytes(samples).CopyTo(destination);
            return;
        }
        for (var i = 0; i < samples.Length; i++)
            BinaryPrimitives.WriteInt16LittleEndian(destination[(i * sizeof(short))..], samples[i]);
    }

    /// <summary>Writes the built frame and flushes.</summary>
    public void Send()
    {
        stream.Write(Seal());
        stream.Flush();
    }

    /// <summary>Writes the built frame and flushes, asynchronously.</summary>
    public async ValueTask SendAsync(CancellationToken cancellationToken = default)
    {
        await stream.WriteAsync(SealMemory(), cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, []);
        if (buffer.Length > 0) ArrayPool<byte>.Shared.Return(buffer);
    }

    private ReadOnlySpan<byte> Seal() => SealMemory().Span;

    private ReadOnlyMemory<byte> SealMemory()
    {
        if (_length < WorkerProtocol.HeaderLength) throw new InvalidOperationException("No frame was begun.");
        BinaryPrimitives.WriteUInt32LittleEndian(_buffer, (uint)(_length - WorkerProtocol.HeaderLength));
        return _buffer.AsMemory(0, _length);
    }

    private Span<byte> Reserve(int count)
    {
        if (_length < WorkerProtocol.HeaderLength) throw new InvalidOperationException("No frame was begun.");
        if (count > WorkerProtocol.HeaderLength + WorkerProtocol.MaxPayloadLength - _length)
            throw new WorkerProtocolException($"A frame would exceed the {WorkerProtocol.MaxPayloadLength}-byte payload limit.");
        if (_length + count > _buffer.Length)
        {
            var grown = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _length + count));
            _buffer.AsSpan(0, _length).CopyTo(grown);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = grown;
        }
        var span = _buffer.AsSpan(_length, count);
        _length += count;
        return span;
    }
}
