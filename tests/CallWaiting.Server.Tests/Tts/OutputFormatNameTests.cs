using CallWaiting.Server.Tts;
using CallWaiting.Speech.Codecs;

namespace CallWaiting.Server.Tests.Tts;

/// <summary>ElevenLabs-style output format names: codec, rate and bitrate, and everything that is not one.</summary>
public sealed class OutputFormatNameTests
{
    [Theory]
    [InlineData("mp3_22050_32", AudioFormat.Mp3, 22050, 32)]
    [InlineData("mp3_44100_128", AudioFormat.Mp3, 44100, 128)]
    [InlineData("pcm_8000", AudioFormat.Pcm16, 8000, null)]
    [InlineData("pcm_24000", AudioFormat.Pcm16, 24000, null)]
    [InlineData("pcm_48000", AudioFormat.Pcm16, 48000, null)]
    [InlineData("ulaw_8000", AudioFormat.Mulaw, 8000, null)]
    [InlineData("alaw_8000", AudioFormat.Alaw, 8000, null)]
    [InlineData("opus_48000_64", AudioFormat.Opus, 48000, 64)]
    public void Known_names_parse_into_codec_rate_and_bitrate(string name, AudioFormat format, int rate, int? kbps)
    {
        Assert.True(OutputFormatName.TryParse(name, out var parsed));
        Assert.Equal(new OutputFormatName(format, rate, kbps), parsed);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("mp3")]
    [InlineData("mp3_44100")]
    [InlineData("mp3_44100_128_1")]
    [InlineData("mp3_44000_128")]
    [InlineData("mp3_44100_0")]
    [InlineData("mp3_44100_0128")]
    [InlineData("opus_44100_64")]
    [InlineData("opus_48000")]
    [InlineData("pcm_16000_16")]
    [InlineData("pcm_4000")]
    [InlineData("pcm_96000")]
    [InlineData("pcm_-8000")]
    [InlineData("pcm_ 8000")]
    [InlineData("wav_44100")]
    [InlineData("PCM_16000")]
    [InlineData("ulaw_99999999999")]
    public void Anything_else_is_refused(string? name) => Assert.False(OutputFormatName.TryParse(name, out _));
}
