using System.Buffers;
using CallWaiting.Server.Cache;

namespace CallWaiting.Server.Tests.Cache;

/// <summary>The streaming tee: every byte reaches the inner writer, and a copy is kept until the limit.</summary>
public sealed class CaptureBufferWriterTests
{
    [Fact]
    public void Bytes_pass_through_and_are_captured_in_order()
    {
        var inner = new ArrayBufferWriter<byte>();
        var tee = new CaptureBufferWriter(inner, 1000);
        tee.Write(new byte[] { 1, 2, 3 });
        var span = tee.GetSpan(10);
        span[0] = 4;
        span[1] = 5;
        tee.Advance(2);
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5 }, inner.WrittenSpan.ToArray());
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5 }, tee.Captured!.Value.ToArray());
        Assert.Equal(5, tee.Written);
    }

    [Fact]
    public void Past_the_limit_the_copy_is_dropped_but_the_stream_goes_on()
    {
        var inner = new ArrayBufferWriter<byte>();
        var tee = new CaptureBufferWriter(inner, 4);
        tee.Write(new byte[] { 1, 2, 3 });
        tee.Write(new byte[] { 4, 5 });
        tee.Write(new byte[] { 6 });
        Assert.Null(tee.Captured);
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5, 6 }, inner.WrittenSpan.ToArray());
    }
}
