using System.Text;
using CallWaiting.Server.Tts;
using CallWaiting.Speech.Codecs;

namespace CallWaiting.Server.Tests.Tts;

/// <summary>The new /v1/tts fields: stream, ssml and output_format (with its agreement rules), parsed without a server.</summary>
public sealed class TtsRequestParserTests
{
    private static TtsRequest Parse(string json) => TtsRequestParser.Parse(Encoding.UTF8.GetBytes(json), 1200);

    [Fact]
    public void Stream_and_ssml_default_to_absent_and_off()
    {
        var request = Parse("""{"text":"Hi","voice_id":"emily-en-us"}""");
        Assert.Null(request.Stream);
        Assert.False(request.Ssml);
        Assert.Null(request.OutputFormat);
        Assert.Null(request.BitrateKbps);
        Assert.False(Parse("""{"text":"Hi","voice_id":"v","stream":false}""").Stream);
        Assert.True(Parse("""{"text":"Hi","voice_id":"v","stream":true,"ssml":true}""").Ssml);
        Assert.Null(Parse("""{"text":"Hi","voice_id":"v","stream":null}""").Stream);
    }

    [Fact]
    public void Output_format_sets_format_rate_and_bitrate_and_may_repeat_them()
    {
        var request = Parse("""{"text":"Hi","voice_id":"v","output_format":"mp3_22050_32"}""");
        Assert.Equal((AudioFormat.Mp3, 22050, 32, "mp3_22050_32"), (request.Format, request.SampleRate, request.BitrateKbps, request.OutputFormat));
        var agreeing = Parse("""{"text":"Hi","voice_id":"v","output_format":"ulaw_8000","format":"mulaw","sample_rate":8000}""");
        Assert.Equal((AudioFormat.Mulaw, 8000), (agreeing.Format, agreeing.SampleRate));
    }

    [Theory]
    [InlineData("""{"text":"Hi","voice_id":"v","output_format":"mp3_22050_32","format":"opus"}""", "conflict")]
    [InlineData("""{"text":"Hi","voice_id":"v","sample_rate":16000,"output_format":"pcm_8000"}""", "conflict")]
    [InlineData("""{"text":"Hi","voice_id":"v","output_format":"flac_44100"}""", "output_format")]
    [InlineData("""{"text":"Hi","voice_id":"v","stream":1}""", "stream")]
    [InlineData("""{"text":"Hi","voice_id":"v","ssml":"true"}""", "ssml")]
    public void Disagreeing_or_mistyped_fields_are_refused(string json, string mentioned)
    {
        var error = Assert.Throws<TtsRequestException>(() => Parse(json));
        Assert.Equal(TtsErrorKind.InvalidInput, error.Kind);
        Assert.Contains(mentioned, error.Message);
    }
}
