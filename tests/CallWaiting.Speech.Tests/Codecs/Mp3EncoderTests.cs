using CallWaiting.Speech.Codecs;
using CallWaiting.Speech.Tests.Support;

namespace CallWaiting.Speech.Tests.Codecs;

/// <summary>MP3 specifics: constant bitrate choice, frame headers, no Xing/LAME tag, option validation.</summary>
public sealed class Mp3EncoderTests : IDisposable
{
    private readonly TempFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Theory]
    [InlineData(8000, 16)]
    [InlineData(11025, 24)]
    [InlineData(16000, 32)]
    [InlineData(24000, 64)]
    [InlineData(32000, 96)]
    [InlineData(44100, 128)]
    [InlineData(48000, 128)]
    public void Every_frame_is_mono_CBR_at_the_default_bitrate(int rate, int kbps)
    {
        var bytes = AudioEncoder.Encode(AudioFormat.Mp3, rate, Signals.ChirpWithTones(rate, 1.0));

        var frames = ReadFrameHeaders(bytes);

        Assert.NotEmpty(frames);
        Assert.All(frames, f => Assert.Equal((kbps, rate, true), (f.Kbps, f.SampleRate, f.Mono)));
    }

    [Fact]
    public void Bitrate_override_is_used_and_sox_reads_it()
    {
        var options = new AudioEncoderOptions { Mp3BitrateKbps = 48 };
        var bytes = AudioEncoder.Encode(AudioFormat.Mp3, 22050, Signals.ChirpWithTones(22050, 2.0), options);

        Assert.All(ReadFrameHeaders(bytes), f => Assert.Equal(48, f.Kbps));
        // 2 s at 48 kbit/s is 12 kB, plus the delay and padding frames.
        Assert.InRange(bytes.Length, 12000, 12000 * 1.1);
        Assert.Equal("1", Cli.Run("soxi", "-c", _files.Save(bytes, AudioFormat.Mp3)).Stdout.Trim());
    }

    [Fact]
    public void Stream_has_no_Xing_LAME_or_ID3_tag()
    {
        var bytes = AudioEncoder.Encode(AudioFormat.Mp3, 24000, Signals.ChirpWithTones(24000, 0.5));

        // The frame walk already rules out ID3v2 (no sync at 0) and ID3v1 (a trailing 128-byte "TAG" block).
        ReadFrameHeaders(bytes);
        // An Xing/Info tag would sit in the first frame, right after the side information.
        var firstFrame = System.Text.Encoding.ASCII.GetString(bytes, 0, 192);
        Assert.DoesNotContain("Xing", firstFrame);
        Assert.DoesNotContain("Info", firstFrame);
    }

    [Theory]
    [InlineData(24000, 320)]
    [InlineData(48000, 16)]
    [InlineData(8000, 128)]
    [InlineData(16000, 0)]
    [InlineData(16000, 33)]
    public void Bitrate_outside_the_MPEG_versions_table_throws(int rate, int kbps)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() =>
            AudioEncoder.Create(AudioFormat.Mp3, rate, new AudioEncoderOptions { Mp3BitrateKbps = kbps }));
        Assert.Contains("kbit/s", error.Message);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(10)]
    public void Quality_outside_0_to_9_throws(int quality) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => AudioEncoder.Create(AudioFormat.Mp3, 16000, new AudioEncoderOptions { Mp3Quality = quality }));

    [Fact]
    public void Frame_size_and_delay_match_the_MPEG_version()
    {
        using var mpeg1 = (Mp3Encoder)AudioEncoder.Create(AudioFormat.Mp3, 44100);
        using var mpeg2 = (Mp3Encoder)AudioEncoder.Create(AudioFormat.Mp3, 22050);
        Assert.Equal(1152, mpeg1.FrameSize);
        Assert.Equal(576, mpeg2.FrameSize);
        Assert.InRange(mpeg1.EncoderDelay, 1, 2 * 1152);
    }

    private sealed record FrameHeader(int Kbps, int SampleRate, bool Mono);

    // Walks the MPEG audio frames from their headers (ISO 11172-3 / 13818-3), independently of LAME.
    private static List<FrameHeader> ReadFrameHeaders(byte[] bytes)
    {
        int[] mpeg1Kbps = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320];
        int[] mpeg2Kbps = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160];
        int[] mpeg1Rates = [44100, 48000, 32000];
        var frames = new List<FrameHeader>();
        var offset = 0;
        while (offset + 4 <= bytes.Length)
        {
            Assert.True(bytes[offset] == 0xFF && (bytes[offset + 1] & 0xE0) == 0xE0, $"No frame sync at {offset}.");
            var version = (bytes[offset + 1] >> 3) & 3; // 3: MPEG-1, 2: MPEG-2, 0: MPEG-2.5
            Assert.Equal(1, (bytes[offset + 1] >> 1) & 3); // layer III
            var bitrateIndex = bytes[offset + 2] >> 4;
            var rateIndex = (bytes[offset + 2] >> 2) & 3;
            var padding = (bytes[offset + 2] >> 1) & 1;
            var mono = bytes[offset + 3] >> 6 == 3;
            var divisor = version == 3 ? 1 : version == 2 ? 2 : 4;
            var rate = mpeg1Rates[rateIndex] / divisor;
            var kbps = (version == 3 ? mpeg1Kbps : mpeg2Kbps)[bitrateIndex];
            var samplesPerFrame = version == 3 ? 1152 : 576;
            var length = samplesPerFrame / 8 * kbps * 1000 / rate + padding;
            frames.Add(new FrameHeader(kbps, rate, mono));
            offset += length;
        }
        Assert.Equal(bytes.Length, offset);
        return frames;
    }
}
