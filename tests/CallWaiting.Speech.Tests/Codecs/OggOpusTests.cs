using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using CallWaiting.Speech.Codecs;
using CallWaiting.Speech.Codecs.Native;
using CallWaiting.Speech.Tests.Support;

namespace CallWaiting.Speech.Tests.Codecs;

/// <summary>The Ogg page writer and the Ogg Opus stream layout of RFC 7845, checked by opusinfo and a test-side parser.</summary>
public sealed class OggOpusTests : IDisposable
{
    private readonly TempFiles _files = new();

    public void Dispose() => _files.Dispose();

    /// <summary>opusinfo must accept the file without any warning or error.</summary>
    internal static string AssertOpusinfoClean(string path)
    {
        var (code, stdout, stderr) = Cli.TryRun("opusinfo", path);
        var text = stdout + stderr;
        Assert.True(code == 0, $"opusinfo exited with {code}: {text}");
        Assert.DoesNotContain("warning", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("error", text, StringComparison.OrdinalIgnoreCase);
        return text;
    }

    [Fact]
    public void Crc_matches_the_catalogued_check_value()
    {
        // CRC-32/POSIX (same polynomial, initial 0, non-reflected) checks "123456789" as 0x765E7680 after its final
        // XOR with 0xFFFFFFFF; Ogg omits that XOR.
        Assert.Equal(0x765E7680u ^ 0xFFFFFFFFu, OggCrc.Compute("123456789"u8));
        Assert.Equal(0x89A1897Fu, CodecsOggReader.BitwiseCrc("123456789"u8));
    }

    [Theory]
    [InlineData(8000)]
    [InlineData(12000)]
    [InlineData(16000)]
    [InlineData(24000)]
    [InlineData(48000)]
    public void Opusinfo_accepts_the_stream_and_reports_its_length(int rate)
    {
        var input = Signals.ChirpWithTones(rate, 1.3);
        using var encoder = AudioEncoder.Create(AudioFormat.Opus, rate);
        var bytes = Streaming.EncodeInIrregularBlocks(encoder, input).Bytes;

        var report = AssertOpusinfoClean(_files.Save(bytes, AudioFormat.Opus));

        Assert.Contains($"Original sample rate: {rate} Hz", report);
        Assert.Contains("Playback length: 0m:01.300s", report);
        Assert.Contains($"Pre-skip: {((OpusOggEncoder)encoder).PreSkip}", report);
    }

    [Fact]
    public void Stream_layout_follows_RFC_7845()
    {
        const int rate = 24000;
        const int serial = 0x12345678;
        var input = Signals.Sine(1000, rate, 1.01);
        using var encoder = (OpusOggEncoder)AudioEncoder.Create(AudioFormat.Opus, rate, new AudioEncoderOptions { OggSerialNumber = serial });
        var bytes = Streaming.EncodeInIrregularBlocks(encoder, input).Bytes;

        var pages = CodecsOggReader.ReadPages(bytes);
        var packets = CodecsOggReader.ReadPackets(pages);

        Assert.All(pages, p => Assert.Equal((uint)serial, p.Serial));
        Assert.Equal(Enumerable.Range(0, pages.Count).Select(i => (uint)i), pages.Select(p => p.Sequence));
        Assert.Equal([true, .. Enumerable.Repeat(false, pages.Count - 1)], pages.Select(p => p.BeginOfStream));
        Assert.Equal([.. Enumerable.Repeat(false, pages.Count - 1), true], pages.Select(p => p.EndOfStream));

        // Page 0: OpusHead alone. Page 1: OpusTags alone. Both with granule 0.
        Assert.Single(pages[0].Lacing);
        Assert.Equal(0, pages[0].Granule);
        Assert.Equal(0, pages[1].Granule);
        var head = packets[0];
        Assert.Equal(19, head.Length);
        Assert.Equal("OpusHead", Encoding.ASCII.GetString(head, 0, 8));
        Assert.Equal(1, head[8]);
        Assert.Equal(1, head[9]);
        Assert.Equal(encoder.PreSkip, BinaryPrimitives.ReadUInt16LittleEndian(head.AsSpan(10)));
        Assert.Equal(encoder.Lookahead * (48000 / rate), encoder.PreSkip);
        Assert.Equal((uint)rate, BinaryPrimitives.ReadUInt32LittleEndian(head.AsSpan(12)));
        Assert.Equal(0, BinaryPrimitives.ReadInt16LittleEndian(head.AsSpan(16)));
        Assert.Equal(0, head[18]);
        Assert.StartsWith("OpusTags", Encoding.ASCII.GetString(packets[1]));
        Assert.Contains("libopus", Encoding.ASCII.GetString(packets[1]));

        // Audio: 20 ms packets; pages of 100 ms; the last granule trims the padding to the exact length.
        var audioPackets = packets.Count - 2;
        Assert.Equal((int)Math.Ceiling((encoder.Lookahead + input.Length) / (rate / 50.0)), audioPackets);
        var audioPages = pages.Skip(2).ToList();
        for (var i = 0; i < audioPages.Count - 1; i++)
        {
            Assert.Equal((i + 1) * 5 * 960L, audioPages[i].Granule);
        }
        Assert.Equal(encoder.PreSkip + input.Length * (48000L / rate), audioPages[^1].Granule);
        Assert.True(audioPages[^1].Granule > audioPages[^2].Granule);
    }

    [Fact]
    public void Variadic_ctl_sets_and_reads_back_bitrate_and_complexity()
    {
        var options = new AudioEncoderOptions { OpusBitrateKbps = 20, OpusComplexity = 4 };
        using var encoder = (OpusOggEncoder)AudioEncoder.Create(AudioFormat.Opus, 16000, options);

        Assert.Equal(20000, encoder.GetSetting(OpusNative.GetBitrateRequest));
        Assert.Equal(4, encoder.GetSetting(OpusNative.GetComplexityRequest));
    }

    [Fact]
    public void Bitrate_option_changes_the_size_accordingly()
    {
        var input = Signals.ChirpWithTones(48000, 2.0);
        var small = AudioEncoder.Encode(AudioFormat.Opus, 48000, input, new AudioEncoderOptions { OpusBitrateKbps = 16 });
        var large = AudioEncoder.Encode(AudioFormat.Opus, 48000, input, new AudioEncoderOptions { OpusBitrateKbps = 64 });

        // 2 s at 16 kbit/s is 4 kB of packets; Ogg overhead adds a little.
        Assert.InRange(small.Length, 3000, 6000);
        Assert.InRange(large.Length, 12000, 20000);
    }

    [Fact]
    public void Page_duration_option_sets_packets_per_page()
    {
        var input = Signals.Sine(1000, 16000, 0.5);
        var bytes = AudioEncoder.Encode(AudioFormat.Opus, 16000, input, new AudioEncoderOptions { OggPageDurationMs = 20 });

        var audioPages = CodecsOggReader.ReadPages(bytes).Skip(2).ToList();

        Assert.All(audioPages.SkipLast(1), p => Assert.Single(p.Lacing));
        AssertOpusinfoClean(_files.Save(bytes, AudioFormat.Opus));
    }

    [Fact]
    public void Default_serial_numbers_differ_between_streams()
    {
        var a = CodecsOggReader.ReadPages(AudioEncoder.Encode(AudioFormat.Opus, 48000, new float[960]))[0].Serial;
        var b = CodecsOggReader.ReadPages(AudioEncoder.Encode(AudioFormat.Opus, 48000, new float[960]))[0].Serial;
        Assert.NotEqual(a, b);
    }

    [Theory]
    [InlineData(5, null, 100)]
    [InlineData(511, null, 100)]
    [InlineData(null, 11, 100)]
    [InlineData(null, -1, 100)]
    [InlineData(null, null, 30)]
    [InlineData(null, null, 0)]
    [InlineData(null, null, 1020)]
    public void Out_of_range_options_throw(int? bitrate, int? complexity, int pageMs)
    {
        var options = new AudioEncoderOptions { OpusBitrateKbps = bitrate, OpusComplexity = complexity ?? 10, OggPageDurationMs = pageMs };
        Assert.Throws<ArgumentOutOfRangeException>(() => AudioEncoder.Create(AudioFormat.Opus, 48000, options));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(254)]
    [InlineData(255)]
    [InlineData(510)]
    [InlineData(255 * 255)]
    [InlineData(70000)]
    [InlineData(200000)]
    public void Page_writer_laces_any_packet_size_and_continues_across_pages(int size)
    {
        var packet = new byte[size];
        new Random(size).NextBytes(packet);
        var small = new byte[] { 1, 2, 3 };
        var writer = new OggPageWriter(7);
        var output = new ArrayBufferWriter<byte>();

        writer.AddPacket(small, 10, output);
        writer.AddPacket(packet, 20, output);
        writer.AddPacket(small, 30, output);
        writer.Flush(output, endOfStream: true);

        var pages = CodecsOggReader.ReadPages(output.WrittenSpan);
        var packets = CodecsOggReader.ReadPackets(pages);
        Assert.Equal(3, packets.Count);
        Assert.Equal(packet, packets[1]);
        Assert.Equal(small, packets[2]);
        Assert.Equal(size / 255 + 1 + 2, pages.Sum(p => p.Lacing.Length));
        Assert.All(pages, p => Assert.InRange(p.Lacing.Length, 1, 255));
        // A page on which no packet ends carries granule -1; the last page ends the last packet.
        Assert.All(pages, p => Assert.Equal(p.Lacing.All(l => l == 255), p.Granule == -1));
        Assert.Equal(30, pages[^1].Granule);
        Assert.Throws<InvalidOperationException>(() => writer.AddPacket(small, 40, output));
    }
}
