namespace CallWaiting.Server.Realtime;

/// <summary>
/// The client's side of an upgraded WebSocket connection, read through unchanged while its frame headers are watched:
/// a data frame whose header claims more than the message limit completes <see cref="Oversized"/> at once, so the
/// session can refuse it with 1009 instead of waiting for a payload that may never come (.NET's WebSocket does not
/// expose a frame's declared length).
/// </summary>
internal sealed class FrameSizeGuardStream(Stream inner, long maxPayloadBytes) : Stream
{
    private const int MaxHeaderBytes = 14; // 2 + 8 (64-bit length) + 4 (mask)

    private readonly TaskCompletionSource<long> _oversized = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly byte[] _header = new byte[MaxHeaderBytes];
    private int _headerLength;
    private int _headerNeeded = 2;
    private long _payloadLeft;

    /// <summary>Completes with the claimed payload length of the first data frame over the limit.</summary>
    public Task<long> Oversized => _oversized.Task;

    /// <inheritdoc />
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        Inspect(buffer.Span[..read]);
        return read;
    }

    /// <inheritdoc />
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count)
    {
        var read = inner.Read(buffer, offset, count);
        Inspect(buffer.AsSpan(offset, read));
        return read;
    }

    // Walks the bytes frame by frame: header (RFC 6455 §5.2), then a payload that is skipped.
    private void Inspect(ReadOnlySpan<byte> bytes)
    {
        while (!bytes.IsEmpty && !_oversized.Task.IsCompleted)
        {
            if (_payloadLeft > 0)
            {
                var skip = (int)Math.Min(_payloadLeft, bytes.Length);
                _payloadLeft -= skip;
                bytes = bytes[skip..];
                continue;
            }

            var take = Math.Min(_headerNeeded - _headerLength, bytes.Length);
            bytes[..take].CopyTo(_header.AsSpan(_headerLength));
            _headerLength += take;
            bytes = bytes[take..];
            if (_headerLength < _headerNeeded) return;
            if (_headerNeeded == 2)
            {
                var lengthCode = _header[1] & 0x7F;
                var masked = (_header[1] & 0x80) != 0;
                _headerNeeded = 2 + (lengthCode == 126 ? 2 : lengthCode == 127 ? 8 : 0) + (masked ? 4 : 0);
                if (_headerLength < _headerNeeded) continue;
            }

            FrameHeaderComplete();
        }
    }

    private void FrameHeaderComplete()
    {
        var opcode = _header[0] & 0x0F;
        var lengthCode = _header[1] & 0x7F;
        var length = lengthCode switch
        {
            126 => (long)((_header[2] << 8) | _header[3]),
            127 => (long)Math.Min(System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(_header.AsSpan(2, 8)), long.MaxValue),
            _ => lengthCode,
        };
        _headerLength = 0;
        _headerNeeded = 2;
        _payloadLeft = length;
        // Continuation, text and binary frames carry message data; control frames are at most 125 bytes.
        if (opcode <= 0x2 && length > maxPayloadBytes) _oversized.TrySetResult(length);
    }

    /// <inheritdoc />
    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => inner.WriteAsync(buffer, cancellationToken);

    /// <inheritdoc />
    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.WriteAsync(buffer, offset, count, cancellationToken);

    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);

    /// <inheritdoc />
    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    /// <inheritdoc />
    public override void Flush() => inner.Flush();

    /// <inheritdoc />
    public override bool CanRead => inner.CanRead;

    /// <inheritdoc />
    public override bool CanWrite => inner.CanWrite;

    /// <inheritdoc />
    public override bool CanSeek => false;

    /// <inheritdoc />
    public override long Length => throw new NotSupportedException();

    /// <inheritdoc />
    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <inheritdoc />
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }

    /// <inheritdoc />
    public override ValueTask DisposeAsync() => inner.DisposeAsync();
}
