using CallWaiting.Speech.Codecs;
using CallWaiting.Speech.Tests.Support;

namespace CallWaiting.Speech.Tests.Codecs;

/// <summary>The streaming WAV header and its fix-up for seekable files.</summary>
public sealed class WavHeaderTests : IDisposable
{
    private readonly TempFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void Streamed_wav_declares_unknown_sizes_and_sox_reads_it_to_the_end()
    {
        var input = Signals.Sine(1000, 16000, 0.75);
        var bytes = AudioEncoder.Encode(AudioFormat.Wav, 16000, input);
        var path = _files.Save(bytes, AudioFormat.Wav);

        Assert.Equal(WavHeader.UnknownLength, BitConverter.ToUInt32(bytes, 4));
        Assert.Equal(WavHeader.UnknownLength, BitConverter.ToUInt32(bytes, 40));
        Assert.NotEqual("12000", Cli.Run("soxi", "-s", path).Stdout.Trim());
        Assert.Equal(input.Length, Sox.Decode(bytes, AudioFormat.Wav, 16000).Samples.Length);
    }

    [Fact]
    public void Patch_writes_the_true_sizes_so_soxi_reports_the_exact_length()
    {
        var input = Signals.Sine(1000, 16000, 0.75);
        var path = _files.NewPath("wav");
        using (var file = new FileStream(path, FileMode.Create, FileAccess.ReadWrite))
        {
            using var encoder = AudioEncoder.Create(AudioFormat.Wav, 16000);
            var output = new System.Buffers.ArrayBufferWriter<byte>();
            encoder.Write(input, output);
            encoder.Complete(output);
            file.Write(output.WrittenSpan);
            file.Position = 100;

            Assert.True(WavHeader.Patch(file));
            Assert.Equal(100, file.Position);
        }

        var bytes = File.ReadAllBytes(path);
        Assert.Equal((uint)(bytes.Length - 8), BitConverter.ToUInt32(bytes, 4));
        Assert.Equal((uint)(input.Length * 2), BitConverter.ToUInt32(bytes, 40));
        Assert.Equal("12000", Cli.Run("soxi", "-s", path).Stdout.Trim());
        var (_, stderr) = Cli.Run("sox", path, "-n", "stat");
        Assert.DoesNotContain("WARN", stderr);
    }

    [Fact]
    public void Patch_skips_chunks_before_data()
    {
        // A header with a LIST chunk between fmt and data, as other tools write it.
        var header = new byte[WavHeader.Size];
        WavHeader.Write(header, 8000, WavHeader.UnknownLength);
        var list = "LIST"u8.ToArray().Concat(BitConverter.GetBytes(5u)).Concat(new byte[6]).ToArray(); // odd size + pad byte
        var bytes = header[..36].Concat(list).Concat(header[36..]).Concat(new byte[200]).ToArray();
        using var stream = new MemoryStream();
        stream.Write(bytes);

        Assert.True(WavHeader.Patch(stream));

        var patched = stream.ToArray();
        Assert.Equal(200u, BitConverter.ToUInt32(patched, 36 + list.Length + 4));
        Assert.Equal((uint)(patched.Length - 8), BitConverter.ToUInt32(patched, 4));
    }

    [Fact]
    public void Empty_stream_gets_an_exact_header()
    {
        var bytes = AudioEncoder.Encode(AudioFormat.Wav, 8000, ReadOnlySpan<float>.Empty);

        Assert.Equal(WavHeader.Size, bytes.Length);
        Assert.Equal(36u, BitConverter.ToUInt32(bytes, 4));
        Assert.Equal(0u, BitConverter.ToUInt32(bytes, 40));
    }

    [Fact]
    public void Patch_rejects_non_wav_and_unusable_streams()
    {
        var header = new byte[WavHeader.Size];
        WavHeader.Write(header, 8000, 0);

        using var notWav = new MemoryStream(new byte[64]);
        Assert.Throws<InvalidDataException>(() => WavHeader.Patch(notWav));
        using var noDataChunk = new MemoryStream();
        noDataChunk.Write(header.AsSpan(0, 36));
        Assert.Throws<InvalidDataException>(() => WavHeader.Patch(noDataChunk));
        using var readOnly = new MemoryStream(header, writable: false);
        Assert.Throws<ArgumentException>(() => WavHeader.Patch(readOnly));
        Assert.Throws<ArgumentException>(() => WavHeader.Write(new byte[WavHeader.Size - 1], 8000, 0));
    }
}
