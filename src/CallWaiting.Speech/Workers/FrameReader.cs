using System.Buffers;
using System.Buffers.Binary;

namespace CallWaiting.Speech.Workers;

/// <summary>
/// Reads frames from a stream into one reused pooled buffer. A clean end of stream between frames is reported as
/// "no frame"; a stream that ends inside a frame, an oversized length or an unknown type is a
/// <see cref="WorkerProtocolException"/>. Reads must not overlap.
/// </summary>
internal sealed class FrameReader(Stream stream, int maxPayloadLength = WorkerProtocol.MaxPayloadLength) : IDisposable
{
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(4096);

    /// <summary>Reads the next frame, blocking; false at end of stream.</summary>
    public bool TryRead(out WorkerFrame frame)
    {
        ObjectDisposedException.ThrowIf(_buffer.Length == 0, this);
        frame = default;
        if (!Fill(WorkerProtocol.HeaderLength, atFrameStart: true)) return false;
        var (type, length) = ParseHeader();
        Fill(length, atFrameStart: false);
        frame = new WorkerFrame(type, _buffer.AsMemory(0, length));
        return true;
    }

    /// <summary>Reads the next frame; null at end of stream.</summary>
    public async ValueTask<WorkerFrame?> ReadAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_buffer.Length == 0, this);
        if (!await FillAsync(WorkerProtocol.HeaderLength, atFrameStart: true, cancellationToken).ConfigureAwait(false))
            return null;
        var (type, length) = ParseHeader();
        await FillAsync(length, atFrameStart: false, cancellationToken).ConfigureAwait(false);
        return new WorkerFrame(type, _buffer.AsMemory(0, length));
    }

    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, []);
        if (buffer.Length > 0) ArrayPool<byte>.Shared.Return(buffer);
    }

    private (WorkerFrameType Type, int Length) ParseHeader()
    {
        var length = BinaryPrimitives.ReadUInt32LittleEndian(_buffer);
        var type = (WorkerFrameType)_buffer[4];
        if (length > (uint)maxPayloadLength)
            throw new WorkerProtocolException($"A frame claims {length} payload bytes; the limit is {maxPayloadLength}.");
        if (!Enum.IsDefined(type)) throw new WorkerProtocolException($"Unknown frame type {(byte)type}.");
        EnsureCapacity((int)length);
        return (type, (int)length);
    }

    private void EnsureCapacity(int length)
    {
        if (_buffer.Length >= length) return;
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = ArrayPool<byte>.Shared.Rent(length);
    }

    private bool Fill(int count, bool atFrameStart)
    {
        var read = 0;
        while (read < count)
        {
            var n = stream.Read(_buffer, read, count - read);
            if (n == 0) return EndOfStream(read, atFrameStart);
            read += n;
        }
        return true;
    }

    private async ValueTask<bool> FillAsync(int count, bool atFrameStart, CancellationToken cancellationToken)
    {
        var read = 0;
        while (read < count)
        {
            var n = await stream.ReadAsync(_buffer.AsMemory(read, count - read), cancellationToken).ConfigureAwait(false);
            if (n == 0) return EndOfStream(read, atFrameStart);
            read += n;
        }
        return true;
    }

    private static bool EndOfStream(int read, bool atFrameStart) =>
        atFrameStart && read == 0 ? false : throw new WorkerProtocolException("The stream ended inside a frame.");
}
