using CallWaiting.Speech.Codecs;

namespace CallWaiting.Speech.Tests.Codecs;

/// <summary>Format names, content types, extensions and sample-rate rules.</summary>
public sealed class AudioFormatsTests
{
    [Theory]
    [InlineData("wav", AudioFormat.Wav)]
    [InlineData("WAV", AudioFormat.Wav)]
    [InlineData(" mp3 ", AudioFormat.Mp3)]
    [InlineData("pcm16", AudioFormat.Pcm16)]
    [InlineData("pcm", AudioFormat.Pcm16)]
    [InlineData("ulaw", AudioFormat.Mulaw)]
    [InlineData("mulaw", AudioFormat.Mulaw)]
    [InlineData("alaw", AudioFormat.Alaw)]
    [InlineData("opus", AudioFormat.Opus)]
    [InlineData("Flac", AudioFormat.Flac)]
    public void Parses_names_and_aliases(string name, AudioFormat expected)
    {
        Assert.Equal(expected, AudioFormats.Parse(name));
        Assert.True(AudioFormats.TryParse(name, out var parsed));
        Assert.Equal(expected, parsed);
    }

    [Theory]
    [InlineData("")]
    [InlineData("ogg")]
    [InlineData("wav2")]
    [InlineData("Mp3;")]
    public void Rejects_unknown_names(string name)
    {
        Assert.False(AudioFormats.TryParse(name, out _));
        var error = Assert.Throws<ArgumentException>(() => AudioFormats.Parse(name));
        Assert.Contains("wav, mp3, pcm16", error.Message);
    }

    [Fact]
    public void Null_name_is_not_a_format()
    {
        Assert.False(AudioFormats.TryParse(null, out _));
        Assert.Throws<ArgumentNullException>(() => AudioFormats.Parse(null!));
    }

    [Fact]
    public void Every_format_round_trips_through_its_name()
    {
        Assert.Equal(Enum.GetValues<AudioFormat>().Length, AudioFormats.All.Count);
        Assert.All(AudioFormats.All, f => Assert.Equal(f, AudioFormats.Parse(AudioFormats.Name(f))));
    }

    [Theory]
    [InlineData(AudioFormat.Wav, 22050, "audio/wav")]
    [InlineData(AudioFormat.Mp3, 24000, "audio/mpeg")]
    [InlineData(AudioFormat.Pcm16, 24000, "audio/L16; rate=24000; channels=1")]
    [InlineData(AudioFormat.Pcm16, 16000, "audio/L16; rate=16000; channels=1")]
    [InlineData(AudioFormat.Mulaw, 8000, "audio/basic")]
    [InlineData(AudioFormat.Mulaw, 16000, "audio/PCMU; rate=16000")]
    [InlineData(AudioFormat.Alaw, 8000, "audio/PCMA; rate=8000")]
    [InlineData(AudioFormat.Opus, 48000, "audio/ogg; codecs=opus")]
    [InlineData(AudioFormat.Flac, 44100, "audio/flac")]
    public void Content_types(AudioFormat format, int rate, string expected) =>
        Assert.Equal(expected, AudioFormats.ContentType(format, rate));

    [Fact]
    public void File_extensions_are_distinct_and_sox_knows_the_typed_ones()
    {
        var extensions = AudioFormats.All.Select(AudioFormats.FileExtension).ToList();
        Assert.Equal(extensions.Count, extensions.Distinct().Count());
        Assert.Equal(["wav", "pcm", "ul", "al", "mp3", "opus", "flac"], extensions);
    }

    [Theory]
    [InlineData(AudioFormat.Mulaw, 8000)]
    [InlineData(AudioFormat.Alaw, 8000)]
    [InlineData(AudioFormat.Opus, 48000)]
    [InlineData(AudioFormat.Wav, null)]
    [InlineData(AudioFormat.Pcm16, 24000)]
    [InlineData(AudioFormat.Mp3, null)]
    [InlineData(AudioFormat.Flac, null)]
    public void Default_sample_rates(AudioFormat format, int? expected) =>
        Assert.Equal(expected, AudioFormats.DefaultSampleRate(format));

    [Theory]
    [InlineData(AudioFormat.Wav, 8000, true)]
    [InlineData(AudioFormat.Wav, 22050, true)]
    [InlineData(AudioFormat.Wav, 7999, false)]
    [InlineData(AudioFormat.Flac, 48001, false)]
    [InlineData(AudioFormat.Mulaw, 16000, true)]
    [InlineData(AudioFormat.Alaw, 11025, true)]
    [InlineData(AudioFormat.Opus, 8000, true)]
    [InlineData(AudioFormat.Opus, 12000, true)]
    [InlineData(AudioFormat.Opus, 22050, false)]
    [InlineData(AudioFormat.Opus, 44100, false)]
    [InlineData(AudioFormat.Mp3, 11025, true)]
    [InlineData(AudioFormat.Mp3, 32000, true)]
    [InlineData(AudioFormat.Mp3, 20000, false)]
    [InlineData(AudioFormat.Mp3, 96000, false)]
    public void Supported_sample_rates(AudioFormat format, int rate, bool expected) =>
        Assert.Equal(expected, AudioFormats.IsSupportedSampleRate(format, rate));

    [Theory]
    [InlineData(AudioFormat.Opus, 22050, 24000)]
    [InlineData(AudioFormat.Opus, 44100, 48000)]
    [InlineData(AudioFormat.Opus, 32000, 48000)]
    [InlineData(AudioFormat.Opus, 96000, 48000)]
    [InlineData(AudioFormat.Opus, 4000, 8000)]
    [InlineData(AudioFormat.Opus, 16000, 16000)]
    [InlineData(AudioFormat.Mp3, 20000, 22050)]
    [InlineData(AudioFormat.Mp3, 96000, 48000)]
    [InlineData(AudioFormat.Wav, 96000, 48000)]
    [InlineData(AudioFormat.Wav, 6000, 8000)]
    [InlineData(AudioFormat.Flac, 22050, 22050)]
    public void Nearest_supported_rate_never_loses_bandwidth_when_it_can_help_it(AudioFormat format, int rate, int expected)
    {
        var nearest = AudioFormats.NearestSupportedSampleRate(format, rate);
        Assert.Equal(expected, nearest);
        Assert.True(AudioFormats.IsSupportedSampleRate(format, nearest));
    }

    [Fact]
    public void Nearest_supported_rate_rejects_non_positive_rates() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => AudioFormats.NearestSupportedSampleRate(AudioFormat.Wav, 0));
}
