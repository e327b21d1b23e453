using System.Buffers.Binary;
using CallWaiting.Server.Realtime;

namespace CallWaiting.Server.Tests.Realtime;

/// <summary>The frame-header walk under the WebSocket: passes every byte through and flags the first data frame over the limit, however the bytes arrive.</summary>
public sealed class FrameSizeGuardStreamTests
{
    private const int Limit = 1000;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(4096)]
    public async Task Frames_within_the_limit_pass_and_the_first_claim_past_it_is_flagged(int chunk)
    {
        // 10-byte text, 300-byte continuation (16-bit length), a ping with payload, an empty frame, a 1000-byte binary
        // (exactly the limit), then a 64-bit length of 5 GB whose payload never comes.
        var within = Concat(Frame(0x1, 10), Frame(0x0, 300), Frame(0x9, 4), Frame(0x1, 0), Frame(0x2, Limit));
        var bytes = Concat(within, Header(0x1, 5_000_000_000));

        var (passed, guard) = await ReadAllAsync(bytes, chunk, stopAt: within.Length);
        Assert.False(guard.Oversized.IsCompleted);
        Assert.Equal(within, passed);

        (passed, guard) = await ReadAllAsync(bytes, chunk, stopAt: bytes.Length);
        Assert.Equal(bytes, passed);
        Assert.Equal(5_000_000_000, await guard.Oversized);
    }

    [Fact]
    public async Task A_control_frame_is_never_flagged_and_a_continuation_is()
    {
        var (_, guard) = await ReadAllAsync(Frame(0xA, 125), 5, int.MaxValue);
        Assert.False(guard.Oversized.IsCompleted);
        (_, guard) = await ReadAllAsync(Concat(Frame(0x1, 10, fin: false), Header(0x0, Limit + 1)), 5, int.MaxValue);
        Assert.Equal(Limit + 1, await guard.Oversized);
    }

    private static async Task<(byte[] Passed, FrameSizeGuardStream Guard)> ReadAllAsync(byte[] bytes, int chunk, int stopAt)
    {
        var guard = new FrameSizeGuardStream(new MemoryStream(bytes[..Math.Min(stopAt, bytes.Length)]), Limit);
        var passed = new MemoryStream();
        var buffer = new byte[chunk];
        int read;
        while ((read = await guard.ReadAsync(buffer)) > 0) passed.Write(buffer, 0, read);
        return (passed.ToArray(), guard);
    }

    // A masked client frame: header and payload.
    private static byte[] Frame(int opcode, int length, bool fin = true) => Concat(Header(opcode, length, fin), new byte[length]);

    private static byte[] Header(int opcode, long length, bool fin = true)
    {
        var first = (byte)((fin ? 0x80 : 0) | opcode);
        byte[] header = length switch
        {
            < 126 => [first, (byte)(0x80 | length)],
            <= ushort.MaxValue => [first, 0x80 | 126, (byte)(length >> 8), (byte)length],
            _ => [first, 0x80 | 127, 0, 0, 0, 0, 0, 0, 0, 0],
        };
        if (length > ushort.MaxValue) BinaryPrimitives.WriteUInt64BigEndian(header.AsSpan(2), (ulong)length);
        return Concat(header, [1, 2, 3, 4]);
    }

    private static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();
}
