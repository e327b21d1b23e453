using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using CallWaiting.Server.Tests.Infrastructure;
using static CallWaiting.Server.Tests.Api.ApiTestHttp;

namespace CallWaiting.Server.Tests.Realtime;

/// <summary>The WebSocket protocol end to end against a real server: streamed text in, audio and alignment out, flush, final, tokens.</summary>
[Collection(RealtimeServerCollection.Name)]
public sealed class RealtimeStreamingTests(RealtimeServerFixture fixture)
{
    private const string Config = """{"voice_id":"james-en-us","format":"pcm16","sample_rate":24000}""";

    [Fact]
    public async Task Words_sent_one_at_a_time_bring_audio_before_the_whole_text_was_sent()
    {
        await using var client = await RealtimeTestClient.ConnectAsync(fixture.WebSocketUri, fixture.Server.BootstrapKey);
        await client.SendAsync(Config);
        var ready = (await client.WaitForAsync(f => f.JsonType == "ready", what: "ready")).Json;
        Assert.Equal(24000, ready.GetProperty("sample_rate").GetInt32());
        Assert.Equal("pcm16", ready.GetProperty("format").GetString());

        const string text = "Thank you for calling the clinic. Your appointment is confirmed for Tuesday morning at nine o'clock, "
            + "and we will send a reminder the day before so that you do not forget about it.";
        var words = text.Split(' ');
        TimeSpan? lastWordSent = null;
        for (var i = 0; i < words.Length; i++)
        {
            await client.SendAsync(JsonSerializer.Serialize(new { text = (i == 0 ? "" : " ") + words[i] }));
            if (i == words.Length - 1) lastWordSent = client.Elapsed;
            else await Task.Delay(120);
        }

        await client.SendAsync("""{"flush":true}""");
        var flushDone = await client.WaitForAsync(f => f.JsonType == "flush_done", what: "flush_done");
        var firstAudio = client.Frames.First(f => f.Type == WebSocketMessageType.Binary);
        Assert.True(firstAudio.At < lastWordSent, $"First audio at {firstAudio.At}, last word sent at {lastWordSent}");
        Assert.Equal((long)text.Length - 1, flushDone.Json.GetProperty("characters").GetInt64()); // the space between the two sentences is not spoken

        await client.SendAsync("""{"close":true}""");
        var close = await client.WaitForCloseAsync();
        Assert.Equal(WebSocketCloseStatus.NormalClosure, close.CloseStatus);
        var final = client.Frames.Single(f => f.JsonType == "final").Json;
        var frames = client.Frames;
        Assert.True(frames.FindIndex(f => f.JsonType == "flush_done") > frames.FindLastIndex(f => f.Type == WebSocketMessageType.Binary && f.At <= flushDone.At),
            "flush_done follows the flush's audio");

        // The binary frames form one PCM16 stream: decode it with sox.
        var pcm = frames.Where(f => f.Type == WebSocketMessageType.Binary).SelectMany(f => f.Data).ToArray();
        var audio = await ServerAudio.AnalyzeRawAsync(pcm, "raw", 24000);
        Assert.InRange(audio.Seconds, 4, 30);
        Assert.True(audio.RmsAmplitude > 0.01, $"RMS {audio.RmsAmplitude}");
        Assert.Equal(audio.Seconds * 1000, final.GetProperty("audio_ms").GetInt64(), 2.0);

        // Alignment: words in order, starting monotonically inside the audio.
        var aligned = frames.Where(f => f.JsonType == "alignment").SelectMany(f => f.Json.GetProperty("words").EnumerateArray()).ToList();
        Assert.True(aligned.Count >= 10, $"{aligned.Count} aligned words");
        var starts = aligned.Select(w => w.GetProperty("start_ms").GetInt64()).ToList();
        Assert.Equal(starts.Order(), starts);
        Assert.All(aligned, w => Assert.InRange(w.GetProperty("end_ms").GetInt64(), w.GetProperty("start_ms").GetInt64(), (long)(audio.Seconds * 1000) + 1));
        Assert.Contains(aligned, w => w.GetProperty("word").GetString()!.Contains("clinic", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task After_a_clear_a_wav_session_is_still_one_playable_stream_with_one_header()
    {
        await using var client = await RealtimeTestClient.ConnectAsync(fixture.WebSocketUri, fixture.Server.BootstrapKey);
        await client.SendAsync("""{"voice_id":"james-en-us","format":"wav","sample_rate":16000}""");
        await client.WaitForAsync(f => f.JsonType == "ready");

        // Cleared at once (one sentence, so the clear is read at once rather than after queued utterances): the header
        // goes out in a frame of its own that no clear drops, however the race with the first audio falls.
        await client.SendAsync("""{"text":"This is a long message that the caller interrupts before it can even start playing."}""");
        await client.SendAsync("""{"clear":true}""");
        await client.WaitForAsync(f => f.JsonType == "cleared", what: "cleared");
        await client.SendAsync("""{"text":"Sorry, go ahead.","flush":true}""");
        await client.WaitForAsync(f => f.JsonType == "flush_done", what: "flush_done");
        await client.SendAsync("""{"close":true}""");
        Assert.Equal(WebSocketCloseStatus.NormalClosure, (await client.WaitForCloseAsync()).CloseStatus);

        var wav = client.Frames.Where(f => f.Type == WebSocketMessageType.Binary).SelectMany(f => f.Data).ToArray();
        Assert.Equal("RIFF", System.Text.Encoding.ASCII.GetString(wav, 0, 4));
        Assert.Equal(1, CountOf(wav, "RIFF"u8.ToArray())); // one stream, one header
        var audio = await ServerAudio.AnalyzeAsync(wav, "wav");
        Assert.Equal(16000, audio.SampleRate);
        Assert.True(audio.RmsAmplitude > 0.01, $"RMS {audio.RmsAmplitude}");
        Assert.True(audio.Seconds > 0.5, $"{audio.Seconds} s"); // at least "Sorry, go ahead." (how much came before the clear depends on timing)
    }

    [Fact]
    public async Task A_wav_session_of_several_utterances_is_one_header_then_continuous_pcm_as_long_as_final_says()
    {
        await using var client = await RealtimeTestClient.ConnectAsync(fixture.WebSocketUri, fixture.Server.BootstrapKey);
        await client.SendAsync("""{"voice_id":"james-en-us","format":"wav","sample_rate":16000}""");
        await client.WaitForAsync(f => f.JsonType == "ready");
        await client.SendAsync("""{"text":"Thank you for calling the clinic. Your appointment is confirmed. "}""");
        await client.SendAsync("""{"text":"We will send a reminder the day before."}""");
        await client.SendAsync("""{"close":true}""");
        Assert.Equal(WebSocketCloseStatus.NormalClosure, (await client.WaitForCloseAsync()).CloseStatus);

        var binary = client.Frames.Where(f => f.Type == WebSocketMessageType.Binary).ToList();
        Assert.Equal(44, binary[0].Data.Length); // the header alone, then PCM16 only
        Assert.Equal("RIFF", System.Text.Encoding.ASCII.GetString(binary[0].Data, 0, 4));
        Assert.All(binary.Skip(1), f => Assert.True(f.Data.Length % 2 == 0, $"a frame of {f.Data.Length} bytes"));
        var wav = binary.SelectMany(f => f.Data).ToArray();
        Assert.Equal(1, CountOf(wav, "RIFF"u8.ToArray()));

        var final = client.Frames.Single(f => f.JsonType == "final").Json;
        var (_, rate, samples) = await ServerAudio.WaveFramesAsync(wav);
        Assert.Equal(16000, rate);
        Assert.Equal((long)(wav.Length - 44) / 2, samples);
        Assert.Equal(final.GetProperty("audio_ms").GetInt64(), samples * 1000 / 16000, 1.0);
        Assert.True(samples > 3 * 16000, $"{samples} samples for three sentences");
        Assert.True((await ServerAudio.AnalyzeAsync(wav, "wav")).RmsAmplitude > 0.01);
    }

    private static int CountOf(byte[] haystack, byte[] needle)
    {
        var count = 0;
        for (var at = haystack.AsSpan().IndexOf(needle); at >= 0; count++)
        {
            var next = haystack.AsSpan(at + 1).IndexOf(needle);
            at = next < 0 ? -1 : at + 1 + next;
        }
        return count;
    }

    [Fact]
    public async Task Each_flush_is_answered_after_its_audio_metered_and_close_ends_with_final()
    {
        var (requestsBefore, charactersBefore) = await UsageAsync(fixture);
        await using var client = await RealtimeTestClient.ConnectAsync(fixture.WebSocketUri, fixture.Server.BootstrapKey);
        await client.SendAsync("""{"voice_id":"james-en-us","format":"ulaw"}""");
        Assert.Equal(8000, (await client.WaitForAsync(f => f.JsonType == "ready")).Json.GetProperty("sample_rate").GetInt32());

        // No punctuation: nothing is spoken until the flush.
        await client.SendAsync("""{"text":"please hold the line"}""");
        await Task.Delay(1000);
        Assert.DoesNotContain(client.Frames, f => f.Type == WebSocketMessageType.Binary);
        await client.SendAsync("""{"flush":true}""");
        var first = await client.WaitForAsync(f => f.JsonType == "flush_done");
        Assert.Equal((long)"please hold the line".Length, first.Json.GetProperty("characters").GetInt64());
        var firstAudio = client.Frames.Where(f => f.Type == WebSocketMessageType.Binary).Sum(f => f.Data.Length);
        Assert.InRange(first.Json.GetProperty("audio_ms").GetInt64(), firstAudio / 8 - 1, firstAudio / 8 + 1); // μ-law: 8 bytes per ms

        await client.SendAsync("""{"text":"we will be right with you","flush":true}""");
        var second = await client.WaitForAsync(f => f.JsonType == "flush_done" && !ReferenceEquals(f, first));
        Assert.Equal((long)"we will be right with you".Length, second.Json.GetProperty("characters").GetInt64());
        await client.SendAsync("""{"close":true}""");
        Assert.Equal(WebSocketCloseStatus.NormalClosure, (await client.WaitForCloseAsync()).CloseStatus);

        var frames = client.Frames;
        Assert.Equal("final", frames[^2].JsonType);
        Assert.Equal((long)("please hold the line".Length + "we will be right with you".Length), frames[^2].Json.GetProperty("characters").GetInt64());
        var ulaw = frames.Where(f => f.Type == WebSocketMessageType.Binary).SelectMany(f => f.Data).ToArray();
        var audio = await ServerAudio.AnalyzeRawAsync(ulaw, "ul", 8000);
        Assert.InRange(audio.Seconds, 1, 10);
        Assert.True(audio.RmsAmplitude > 0.01);
        Assert.True(frames.IndexOf(second) > frames.FindLastIndex(f => f.Type == WebSocketMessageType.Binary));

        // One usage event per flush, for the characters spoken.
        await UsageReachesAsync(fixture, requestsBefore + 2, charactersBefore + "please hold the line".Length + "we will be right with you".Length);
    }

    /// <summary>Today's usage of the bootstrap key: (requests, characters).</summary>
    internal static async Task<(long Requests, long Characters)> UsageAsync(RealtimeServerFixture fixture)
    {
        // Sessions of earlier tests meter when they end, and metering is written in batches: let both settle first.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (await MetricAsync(fixture.Server.Client, "tts_ws_sessions_open") > 0 && clock.Elapsed < TimeSpan.FromSeconds(15)) await Task.Delay(100);
        await Task.Delay(600);
        using var response = await GetAsync(fixture.Server.Client, "v1/usage?days=1", fixture.Server.BootstrapKey);
        var days = (await ReadJsonAsync(response)).EnumerateArray().ToList();
        return days.Count == 0 ? (0, 0) : (days[0].GetProperty("requests").GetInt64(), days[0].GetProperty("characters").GetInt64());
    }

    /// <summary>Waits (metering is batched) until today's usage is exactly this.</summary>
    internal static async Task UsageReachesAsync(RealtimeServerFixture fixture, long requests, long characters)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var usage = await UsageAsync(fixture);
        while (usage != (requests, characters) && clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(200);
            usage = await UsageAsync(fixture);
        }

        Assert.Equal((requests, characters), usage);
    }

    [Fact]
    public async Task A_ws_token_opens_a_session_and_tampered_tokens_are_refused()
    {
        using var issued = await SendAsync(fixture.Server.Client, HttpMethod.Post, "v1/auth/ws-token", fixture.Server.BootstrapKey);
        Assert.Equal(HttpStatusCode.OK, issued.StatusCode);
        var body = await ReadJsonAsync(issued);
        var token = body.GetProperty("token").GetString()!;
        Assert.InRange(body.GetProperty("expires_in").GetInt32(), 1, (int)RealtimeServerFixture.TokenTtl.TotalSeconds);
        Assert.DoesNotContain(fixture.Server.BootstrapKey, token, StringComparison.Ordinal);

        await using (var client = await RealtimeTestClient.ConnectAsync(fixture.WebSocketUri, token: token))
        {
            await client.SendAsync("""{"voice_id":"james-en-us"}""");
            await client.WaitForAsync(f => f.JsonType == "ready");
        }

        var middle = token.Length / 3;
        var tampered = token[..middle] + (token[middle] == 'A' ? 'B' : 'A') + token[(middle + 1)..];
        Assert.Equal(HttpStatusCode.Unauthorized, await RealtimeTestClient.RefusalAsync(fixture.WebSocketUri, token: tampered));
        Assert.Equal(HttpStatusCode.Unauthorized, await RealtimeTestClient.RefusalAsync(fixture.WebSocketUri, token: "not-a-token"));
        Assert.Equal(HttpStatusCode.Unauthorized, await RealtimeTestClient.RefusalAsync(fixture.WebSocketUri));

        // Expiry, which needs time to pass: FakeClockApiTests.

        // The token endpoint itself needs a key.
        using var anonymous = await SendAsync(fixture.Server.Client, HttpMethod.Post, "v1/auth/ws-token", null);
        await AssertErrorAsync(anonymous, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_plain_http_request_to_the_websocket_gets_426_and_the_http_endpoints_are_documented()
    {
        using var response = await GetAsync(fixture.Server.Client, "v1/tts/ws", fixture.Server.BootstrapKey);
        await AssertErrorAsync(response, HttpStatusCode.UpgradeRequired);

        var openApi = await fixture.Server.Client.GetStringAsync("openapi/v1.json");
        Assert.Contains("/v1/auth/ws-token", openApi, StringComparison.Ordinal);
        Assert.Contains("/v1/twilio/voice", openApi, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_signing_secret_that_is_too_short_stops_start_up_with_a_clear_message()
    {
        var result = await ServerCli.RunAsync(new Dictionary<string, string?>
        {
            ["CALLWAITING_DATA_DIR"] = Directory.CreateTempSubdirectory("cw-realtime-bad-").FullName,
            ["CALLWAITING_Realtime__SigningSecret"] = Convert.ToBase64String(new byte[16]),
        }, "serve", "--urls", "http://127.0.0.1:0");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Realtime:SigningSecret", result.StandardError);
    }
}
