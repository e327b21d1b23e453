using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace CallWaiting.Server.Tests.Realtime;

/// <summary>mp3 and Ogg Opus sessions against a real server: each utterance comes out whole at once, and the frames form one stream.</summary>
[Collection(RealtimeServerCollection.Name)]
public sealed class RealtimeCompressedFormatTests(RealtimeServerFixture fixture)
{
    private const string First = "Thank you for calling the clinic.";
    private const string Second = " Your appointment is confirmed for Tuesday morning.";

    // The largest binary frame the session sends: 16384 samples of PCM16.
    private const int MaxBinaryFrameBytes = 32 * 1024;

    [Theory]
    [InlineData("mp3", 24000, "audio/mpeg", 0.3)]
    [InlineData("opus", 48000, "audio/ogg; codecs=opus", 0.1)]
    public async Task Two_sentences_stream_as_one_decodable_stream_and_the_first_is_not_held_back(string format, int rate, string contentType, double padding)
    {
        await using var client = await RealtimeTestClient.ConnectAsync(fixture.WebSocketUri, fixture.Server.BootstrapKey);
        await client.SendAsync($$"""{"voice_id":"james-en-us","format":"{{format}}"}""");
        var ready = (await client.WaitForAsync(f => f.JsonType == "ready", what: "ready")).Json;
        Assert.Equal((format, rate, contentType),
            (ready.GetProperty("format").GetString(), ready.GetProperty("sample_rate").GetInt32(), ready.GetProperty("content_type").GetString()));

        // The whole first sentence must decode from what arrived, with no more text sent: nothing waits in the encoder.
        var firstSentenceMs = await FirstSentenceMsAsync(rate);
        await client.SendAsync(JsonSerializer.Serialize(new { text = First }));
        await WaitUntilDecodedAsync(client, format, firstSentenceMs);
        var secondSent = client.Elapsed;
        Assert.True(firstSentenceMs > 1000, $"first sentence {firstSentenceMs} ms");
        Assert.True(client.Frames.First(f => f.Type == WebSocketMessageType.Binary).At < secondSent);

        await client.SendAsync(JsonSerializer.Serialize(new { text = Second }));
        await client.SendAsync("""{"close":true}""");
        Assert.Equal(WebSocketCloseStatus.NormalClosure, (await client.WaitForCloseAsync()).CloseStatus);

        var frames = client.Frames;
        var final = frames.Single(f => f.JsonType == "final").Json;
        Assert.Equal((long)(First.Length + Second.Length - 1), final.GetProperty("characters").GetInt64());
        var binary = frames.Where(f => f.Type == WebSocketMessageType.Binary).ToList();
        Assert.All(binary, f => Assert.InRange(f.Data.Length, 1, MaxBinaryFrameBytes));
        Assert.True(binary.FindIndex(f => f.At >= secondSent) > 0, "The second sentence's audio came after it was sent.");
        if (format == "opus")
        {
            Assert.Equal("OggS", Encoding.ASCII.GetString(binary[0].Data, 0, 4));
            Assert.Contains("OpusHead", Encoding.ASCII.GetString(binary[0].Data), StringComparison.Ordinal);
        }

        // One stream: the right rate, and as long as the audio_ms of `final` plus a few frames of padding per utterance.
        var audio = await RealtimeCompressedAudio.AnalyzeAsync(binary.SelectMany(f => f.Data).ToArray(), format);
        var audioSeconds = final.GetProperty("audio_ms").GetInt64() / 1000.0;
        Assert.Equal(rate, audio.SampleRate);
        Assert.InRange(audio.Seconds, audioSeconds - 0.03, audioSeconds + padding);
        Assert.True(audioSeconds > firstSentenceMs / 1000.0 + 1, $"{audioSeconds} s in all");
        Assert.True(audio.RmsAmplitude > 0.01, $"RMS {audio.RmsAmplitude}");

        // Alignment counts the padding as audio: starts stay in order and inside the decoded stream.
        var starts = frames.Where(f => f.JsonType == "alignment")
            .SelectMany(f => f.Json.GetProperty("words").EnumerateArray()).Select(w => w.GetProperty("start_ms").GetInt64()).ToList();
        Assert.True(starts.Count >= 10, $"{starts.Count} aligned words");
        Assert.Equal(starts.Order(), starts);
        Assert.InRange(starts[^1], (long)(firstSentenceMs), (long)(audio.Seconds * 1000));
    }

    // How long the first sentence is, from a PCM16 session at the same rate (synthesis is deterministic).
    private async Task<long> FirstSentenceMsAsync(int rate)
    {
        await using var client = await RealtimeTestClient.ConnectAsync(fixture.WebSocketUri, fixture.Server.BootstrapKey);
        await client.SendAsync($$"""{"voice_id":"james-en-us","format":"pcm16","sample_rate":{{rate}}}""");
        await client.SendAsync(JsonSerializer.Serialize(new { text = First, flush = true }));
        var done = await client.WaitForAsync(f => f.JsonType == "flush_done", what: "flush_done");
        await client.SendAsync("""{"close":true}""");
        await client.WaitForCloseAsync();
        return done.Json.GetProperty("audio_ms").GetInt64();
    }

    // Polls until the audio received so far decodes at least as long as the sentence. sox's mp3 reader holds back the
    // last frame of a file, but the flush covers LAME's encoder and decoder delays, more than that frame at 24 kHz.
    private static async Task WaitUntilDecodedAsync(RealtimeTestClient client, string format, long sentenceMs)
    {
        var deadline = client.Elapsed + TimeSpan.FromSeconds(20);
        var decodedMs = 0.0;
        while (client.Elapsed < deadline)
        {
            // Opus sends its Ogg headers on their own as soon as the session is configured; audio follows them.
            var frames = client.Frames.Where(f => f.Type == WebSocketMessageType.Binary).ToList();
            var binary = frames.SelectMany(f => f.Data).ToArray();
            if (frames.Count > (format == "opus" ? 1 : 0))
            {
                decodedMs = (await RealtimeCompressedAudio.AnalyzeAsync(binary, format, partial: true)).Seconds * 1000;
                if (decodedMs >= sentenceMs) return;
            }

            await Task.Delay(200);
        }

        throw new Xunit.Sdk.XunitException($"What arrived decodes to {decodedMs} ms, short of the sentence's {sentenceMs} ms; got: {client.Describe()}");
    }
}
