using System.Buffers;

namespace CallWaiting.Server.Cache;

/// <summary>
/// Writes through to another buffer writer (the response pipe) and keeps a copy of every byte, up to a limit, so a
/// streamed rendering can fill the cache as it goes without delaying any byte. Past the limit the copy is dropped
/// and <see cref="Captured"/> is null; the stream itself is unaffected.
/// </summary>
public sealed class CaptureBufferWriter(IBufferWriter<byte> inner, long limit) : IBufferWriter<byte>
{
    private ArrayBufferWriter<byte>? _copy = new(16 * 1024);
    private Memory<byte> _last;

    /// <summary>Bytes written through so far.</summary>
    public long Written { get; private set; }

    /// <summary>Everything written, or null once it outgrew the limit.</summary>
    public ReadOnlyMemory<byte>? Captured => _copy?.WrittenMemory;

    /// <inheritdoc />
    public void Advance(int count)
    {
        if (_copy is not null)
        {
            if (Written + count > limit) _copy = null;
            else _copy.Write(_last.Span[..count]);
        }
        inner.Advance(count);
        Written += count;
        _last = default;
    }

    /// <inheritdoc />
    public Memory<byte> GetMemory(int sizeHint = 0) => _last = inner.GetMemory(sizeHint);

    /// <inheritdoc />
    public Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;
}
