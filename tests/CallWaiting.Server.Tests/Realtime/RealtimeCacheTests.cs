using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using static CallWaiting.Server.Tests.Api.ApiTestHttp;

namespace CallWaiting.Server.Tests.Realtime;

/// <summary>
/// WebSocket utterances share the audio cache with /v1/tts: a prompt said before (by any session or request) is sent
/// from memory, byte for byte, with the same alignment, and is still metered.
/// </summary>
[Collection(RealtimeServerCollection.Name)]
public sealed class RealtimeCacheTests(RealtimeServerFixture fixture)
{
    private const string StreamSid = "MZfedcba9876543210fedcba9876543210";

    [Fact]
    public async Task A_sentence_said_before_comes_from_the_cache_with_the_same_audio_and_alignment_and_is_metered()
    {
        var sentence = $"Thanks for calling Acme Dental, this is reference {Random.Shared.Next(10_000, 99_999)}.";
        var (requestsBefore, charactersBefore) = await RealtimeStreamingTests.UsageAsync(fixture);

        var first = await SayAsync(sentence);
        var synthesesBefore = await MetricAsync(fixture.Server.Client, "tts_generation_duration_seconds_count");
        var memoryHitsBefore = await MetricAsync(fixture.Server.Client, "tts_cache_lookups_total{result=\"memory\"}");
        var second = await SayAsync(sentence);

        Assert.True(first.Audio.Length > 24000, $"{first.Audio.Length} bytes"); // over half a second of 24 kHz PCM16
        Assert.Equal(first.Audio, second.Audio);
        Assert.Equal(first.Words, second.Words);
        Assert.Contains(first.Words, w => w.Word.Contains("Acme", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(memoryHitsBefore + 1, await MetricAsync(fixture.Server.Client, "tts_cache_lookups_total{result=\"memory\"}"));
        Assert.Equal(synthesesBefore, await MetricAsync(fixture.Server.Client, "tts_generation_duration_seconds_count"));
        await RealtimeStreamingTests.UsageReachesAsync(fixture, requestsBefore + 2, charactersBefore + 2 * sentence.Length);

        // /v1/tts with the same voice, format and rate is the same rendering.
        using var response = await PostJsonAsync("v1/tts", JsonSerializer.Serialize(new { text = sentence, voice_id = "james-en-us", format = "pcm16", sample_rate = 24000 }));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("HIT", Header(response, "X-Cache"));
        Assert.Equal(first.Audio, await response.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("mp3", 24000)]
    [InlineData("opus", 48000)]
    public async Task An_mp3_or_opus_session_speaks_a_sentence_rendered_before_as_pcm16_from_the_cache_and_it_decodes_whole(string format, int rate)
    {
        // The session renders each utterance as PCM16 and encodes it as it goes out, so it shares entries with pcm16 requests.
        var sentence = $"Your table for four is booked, confirmation number {Random.Shared.Next(10_000, 99_999)}.";
        using var rendered = await PostJsonAsync("v1/tts", JsonSerializer.Serialize(new { text = sentence, voice_id = "james-en-us", format = "pcm16", sample_rate = rate }));
        Assert.Equal(HttpStatusCode.OK, rendered.StatusCode);
        var seconds = (await rendered.Content.ReadAsByteArrayAsync()).Length / 2.0 / rate;
        var synthesesBefore = await MetricAsync(fixture.Server.Client, "tts_generation_duration_seconds_count");
        var memoryHitsBefore = await MetricAsync(fixture.Server.Client, "tts_cache_lookups_total{result=\"memory\"}");

        await using var client = await RealtimeTestClient.ConnectAsync(fixture.WebSocketUri, fixture.Server.BootstrapKey);
        await client.SendAsync($$"""{"voice_id":"james-en-us","format":"{{format}}","sample_rate":{{rate}}}""");
        await client.SendAsync(JsonSerializer.Serialize(new { text = sentence }));
        await client.SendAsync("""{"close":true}""");
        Assert.Equal(WebSocketCloseStatus.NormalClosure, (await client.WaitForCloseAsync()).CloseStatus);

        Assert.Equal(memoryHitsBefore + 1, await MetricAsync(fixture.Server.Client, "tts_cache_lookups_total{result=\"memory\"}"));
        Assert.Equal(synthesesBefore, await MetricAsync(fixture.Server.Client, "tts_generation_duration_seconds_count"));
        var stream = client.Frames.Where(f => f.Type == WebSocketMessageType.Binary).SelectMany(f => f.Data).ToArray();
        var audio = await RealtimeCompressedAudio.AnalyzeAsync(stream, format);
        Assert.Equal(rate, audio.SampleRate);
        Assert.InRange(audio.Seconds, seconds - 0.03, seconds + 0.3);
        Assert.True(audio.RmsAmplitude > 0.01, $"RMS {audio.RmsAmplitude}");
    }

    [Fact]
    public async Task Twilio_mode_sends_a_cached_greeting_as_the_same_media_frames()
    {
        var greeting = $"Hello, you have reached the front desk, extension {Random.Shared.Next(100, 999)}.";
        var first = await TwilioPayloadsAsync(greeting);
        var second = await TwilioPayloadsAsync(greeting);
        Assert.True(first.Count > 25, $"{first.Count} media frames");
        Assert.Equal(first.Count, second.Count);
        for (var i = 0; i < first.Count; i++) Assert.Equal(first[i], second[i]);
    }

    private async Task<(byte[] Audio, List<(string Word, long Start, long End)> Words)> SayAsync(string sentence)
    {
        await using var client = await RealtimeTestClient.ConnectAsync(fixture.WebSocketUri, fixture.Server.BootstrapKey);
        await client.SendAsync("""{"voice_id":"james-en-us","format":"pcm16","sample_rate":24000}""");
        await client.SendAsync(JsonSerializer.Serialize(new { text = sentence }));
        await client.SendAsync("""{"close":true}""");
        Assert.Equal(WebSocketCloseStatus.NormalClosure, (await client.WaitForCloseAsync()).CloseStatus);
        var audio = client.Frames.Where(f => f.Type == WebSocketMessageType.Binary).SelectMany(f => f.Data).ToArray();
        var words = client.Frames.Where(f => f.JsonType == "alignment").SelectMany(f => f.Json.GetProperty("words").EnumerateArray())
            .Select(w => (w.GetProperty("word").GetString()!, w.GetProperty("start_ms").GetInt64(), w.GetProperty("end_ms").GetInt64())).ToList();
        return (audio, words);
    }

    private async Task<List<byte[]>> TwilioPayloadsAsync(string text)
    {
        await using var client = await RealtimeTestClient.ConnectAsync(fixture.WebSocketUri, fixture.Server.BootstrapKey);
        await client.SendAsync($$"""{"voice_id":"james-en-us","mode":"twilio","stream_sid":"{{StreamSid}}","pacing":"fast"}""");
        await client.SendAsync(JsonSerializer.Serialize(new { text }));
        await client.SendAsync("""{"close":true}""");
        Assert.Equal(WebSocketCloseStatus.NormalClosure, (await client.WaitForCloseAsync()).CloseStatus);
        return client.Frames.Where(f => f.Type == WebSocketMessageType.Text && f.Json.GetProperty("event").GetString() == "media")
            .Select(f => Convert.FromBase64String(f.Json.GetProperty("media").GetProperty("payload").GetString()!)).ToList();
    }

    private Task<HttpResponseMessage> PostJsonAsync(string path, string json)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Add("x-api-key", fixture.Server.BootstrapKey);
        return fixture.Server.Client.SendAsync(request);
    }
}
