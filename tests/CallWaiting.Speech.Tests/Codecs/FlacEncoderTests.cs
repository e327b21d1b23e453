using System.Buffers.Binary;
using CallWaiting.Speech.Codecs;
using CallWaiting.Speech.Tests.Support;

namespace CallWaiting.Speech.Tests.Codecs;

/// <summary>FLAC specifics: the flac tool's own test, the STREAMINFO of a non-seekable stream and the final one for a file, compression levels.</summary>
public sealed class FlacEncoderTests : IDisposable
{
    private readonly TempFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Theory]
    [InlineData(8000)]
    [InlineData(11025)]
    [InlineData(22050)]
    [InlineData(44100)]
    [InlineData(48000)]
    public void Flac_tool_tests_the_stream_ok(int rate)
    {
        using var encoder = AudioEncoder.Create(AudioFormat.Flac, rate);
        var bytes = Streaming.EncodeInIrregularBlocks(encoder, Signals.ChirpWithTones(rate, 1.5)).Bytes;

        var (_, stderr) = Cli.Run("flac", "-t", _files.Save(bytes, AudioFormat.Flac));

        Assert.Contains("ok", stderr);
    }

    [Fact]
    public void Streaminfo_has_the_format_and_unknown_totals()
    {
        var bytes = AudioEncoder.Encode(AudioFormat.Flac, 24000, Signals.ChirpWithTones(24000, 1.0));

        Assert.True(bytes.AsSpan(0, 4).SequenceEqual("fLaC"u8));
        Assert.Equal(0, bytes[4] & 0x7F); // first metadata block is STREAMINFO
        var info = bytes.AsSpan(8, 34);
        var packed = BinaryPrimitives.ReadUInt64BigEndian(info[10..]);
        var sampleRate = (int)(packed >> 44);
        var channels = (int)((packed >> 41) & 7) + 1;
        var bits = (int)((packed >> 36) & 31) + 1;
        var totalSamples = (long)(packed & 0xF_FFFF_FFFF);
        Assert.Equal((24000, 1, 16), (sampleRate, channels, bits));
        // Without a seekable output libFLAC cannot come back to fill these in; 0 means "unknown".
        Assert.Equal(0, totalSamples);
        Assert.True(info[18..34].ToArray().All(b => b == 0));
    }

    [Fact]
    public void Completed_header_is_the_final_streaminfo_that_metaflac_and_flac_accept()
    {
        var input = Signals.ChirpWithTones(22050, 1.5);
        using var encoder = AudioEncoder.Create(AudioFormat.Flac, 22050);
        var bytes = Streaming.EncodeInIrregularBlocks(encoder, input).Bytes;
        var header = encoder.CompletedHeader.ToArray();
        Assert.Equal(42, header.Length); // "fLaC", the block header and STREAMINFO, which keeps its place
        Assert.Equal(bytes.AsSpan(0, 8).ToArray(), header[..8]);

        header.CopyTo(bytes, 0);
        var path = _files.Save(bytes, AudioFormat.Flac);
        var decoded = Sox.Decode(bytes, AudioFormat.Flac, 22050);
        var shown = Cli.Run("metaflac", "--show-total-samples", "--show-md5sum", "--show-min-framesize", "--show-max-framesize", path).Stdout
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(input.Length, long.Parse(shown[0]));
        Assert.Equal(decoded.Samples.Length, long.Parse(shown[0]));
        var pcm = new byte[decoded.Samples.Length * 2];
        Buffer.BlockCopy(decoded.Samples, 0, pcm, 0, pcm.Length); // little-endian, as FLAC's MD5 takes 16-bit samples
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(pcm)), shown[1]);
        Assert.InRange(int.Parse(shown[2]), 1, int.Parse(shown[3]));
        Assert.Contains("ok", Cli.Run("flac", "-t", path).Stderr);
    }

    [Fact]
    public void Higher_compression_level_is_not_larger()
    {
        var input = Signals.ChirpWithTones(44100, 2.0);
        var fast = AudioEncoder.Encode(AudioFormat.Flac, 44100, input, new AudioEncoderOptions { FlacCompressionLevel = 0 });
        var best = AudioEncoder.Encode(AudioFormat.Flac, 44100, input, new AudioEncoderOptions { FlacCompressionLevel = 8 });

        Assert.True(best.Length < fast.Length, $"level 8: {best.Length} bytes, level 0: {fast.Length} bytes");
        // Both are lossless: the decoded audio is identical.
        Assert.Equal(Sox.Decode(fast, AudioFormat.Flac, 44100).Samples, Sox.Decode(best, AudioFormat.Flac, 44100).Samples);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(9)]
    public void Compression_level_outside_0_to_8_throws(int level) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => AudioEncoder.Create(AudioFormat.Flac, 16000, new AudioEncoderOptions { FlacCompressionLevel = level }));
}
