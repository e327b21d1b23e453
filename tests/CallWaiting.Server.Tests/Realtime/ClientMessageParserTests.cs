using System.Net.WebSockets;
using System.Text;
using CallWaiting.Server.Realtime;
using CallWaiting.Speech.Codecs;

namespace CallWaiting.Server.Tests.Realtime;

/// <summary>Client messages: the config and its defaults, the commands, and precise refusals.</summary>
public sealed class ClientMessageParserTests
{
    private static ClientMessage Parse(string json, bool configured) => ClientMessageParser.Parse(Encoding.UTF8.GetBytes(json), configured);

    [Fact]
    public void A_config_takes_defaults_per_mode()
    {
        var plain = Parse("""{"voice_id":" emily-en-us "}""", configured: false).Config!;
        Assert.Equal(new SessionConfig("emily-en-us", AudioFormat.Pcm16, 24000, 1.0, SessionMode.Default, null, false), plain);

        var twilio = Parse("""{"voice_id":"james-en-us","mode":"twilio","stream_sid":"MZ123","speed":1.5}""", configured: false).Config!;
        Assert.Equal(new SessionConfig("james-en-us", AudioFormat.Mulaw, 8000, 1.5, SessionMode.Twilio, "MZ123", true), twilio);
        Assert.False(Parse("""{"voice_id":"v","mode":"twilio","stream_sid":"MZ1","pacing":"fast"}""", configured: false).Config!.RealtimePacing);
        Assert.Equal(16000, Parse("""{"voice_id":"v","format":"alaw","sample_rate":16000}""", configured: false).Config!.SampleRate);
    }

    [Theory]
    [InlineData("mp3", AudioFormat.Mp3, 24000)]
    [InlineData("opus", AudioFormat.Opus, 48000)]
    public void Mp3_and_opus_are_accepted_with_their_default_rates(string name, AudioFormat format, int rate)
    {
        var config = Parse($$"""{"voice_id":"v","format":"{{name}}"}""", configured: false).Config!;
        Assert.Equal((format, rate), (config.Format, config.SampleRate));
        Assert.Equal(16000, Parse($$"""{"voice_id":"v","format":"{{name}}","sample_rate":16000}""", configured: false).Config!.SampleRate);
    }

    [Fact]
    public void Commands_are_recognized()
    {
        Assert.Equal(new ClientMessage(ClientMessageKind.Text, "Hi", false), Parse("""{"text":"Hi"}""", true));
        Assert.Equal(new ClientMessage(ClientMessageKind.Text, "Hi", true), Parse("""{"text":"Hi","flush":true}""", true));
        Assert.Equal(ClientMessageKind.Flush, Parse("""{"flush":true}""", true).Kind);
        Assert.Equal(ClientMessageKind.Close, Parse("""{"close":true}""", true).Kind);
        Assert.Equal(ClientMessageKind.Clear, Parse("""{"clear":true}""", true).Kind);
        Assert.Equal(ClientMessageKind.Clear, Parse("""{"event":"clear","streamSid":"MZ1"}""", true).Kind);
        Assert.Equal(ClientMessageKind.Ignored, Parse("""{"event":"mark","mark":{"name":"x"}}""", true).Kind);
    }

    [Theory]
    [InlineData("""{"voice_id":"v","sample_rate":7999}""", "sample_rate")]
    [InlineData("""{"voice_id":"v","format":"opus","sample_rate":44100}""", "one of 8000, 12000, 16000, 24000, 48000 for opus")]
    [InlineData("""{"voice_id":"v","format":"mp3","sample_rate":23000}""", "for mp3")]
    [InlineData("""{"voice_id":"v","format":"flac"}""", "'format'")]
    [InlineData("""{"voice_id":"v","mode":"twilio","stream_sid":"MZ1","format":"mp3"}""", "μ-law")]
    [InlineData("""{"voice_id":"v","mode":"twilio","stream_sid":"MZ 1"}""", "stream_sid")]
    [InlineData("""{"voice_id":"v","mode":"twilio","stream_sid":"MZ1","format":"pcm16"}""", "μ-law")]
    [InlineData("""{"voice_id":"v","pacing":"fast"}""", "pacing")]
    [InlineData("""{"voice_id":"v","mode":"loud"}""", "mode")]
    [InlineData("""{"voice_id":""}""", "voice_id")]
    [InlineData("""{"voice_id":"v"} trailing""", "unexpected data")]
    [InlineData("""{"voice_id":"\uD800"}""", "invalid escape")]
    public void A_bad_config_is_a_policy_violation_naming_the_problem(string json, string fragment)
    {
        var e = Assert.Throws<RealtimeProtocolException>(() => Parse(json, configured: false));
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, e.Status);
        Assert.Contains(fragment, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Deep_nesting_is_refused()
    {
        var deep = string.Concat(Enumerable.Repeat("[", 100)) + string.Concat(Enumerable.Repeat("]", 100));
        Assert.Throws<RealtimeProtocolException>(() => Parse(deep, configured: true));
    }
}
