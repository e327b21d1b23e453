using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using CallWaiting.Server.Tests.Realtime;
using static CallWaiting.Server.Tests.Api.ApiTestHttp;

namespace CallWaiting.Server.Tests.Neural;

/// <summary>
/// Piper voices dropped into the models folder, end to end through a real server: listed, spoken on /v1/tts, the
/// OpenAI endpoint and the WebSocket with the exact phoneme ids reaching the graph (read back from the decoded audio),
/// reported by /health and /ready, and refused cleanly when a model is gone or a text has no known phoneme.
/// </summary>
[Collection(PiperServerCollection.Name)]
public sealed class PiperServerTests(PiperServerFixture fixture)
{
    // Phoneme ids of "Hello, world." for en-us under Piper's rules (derived independently in the speech tests' PiperPhonemeIdsTests).
    private static readonly long[] HelloWorld = [1, 0, 20, 0, 59, 0, 24, 0, 120, 0, 27, 0, 100, 0, 8, 0, 3, 0, 35, 0, 120, 0, 62, 0, 122, 0, 24, 0, 17, 0, 10, 0, 2];

    private HttpClient Client => fixture.Server.Client;

    private string Key => fixture.Server.BootstrapKey;

    [Fact]
    public async Task The_voices_are_listed_one_per_speaker()
    {
        using var response = await GetAsync(Client, "v1/voices", Key);
        var slugs = (await TestHttp.ReadJsonAsync(response)).EnumerateArray().Select(v => v.GetProperty("slug").GetString()).ToHashSet();
        Assert.Superset(new HashSet<string?> { PiperServerFixture.Reveal, "piper-en-gb-chorus-low-alice", "piper-en-gb-chorus-low-bob",
            "piper-en-gb-chorus-low-carol", PiperServerFixture.Letters }, slugs);
        Assert.DoesNotContain(slugs, s => s!.Contains("corrupt", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(1.0, 4)]
    [InlineData(2.0, 2)]
    public async Task Tts_wav_carries_the_exact_ids_at_the_models_rate_and_speed_shortens_them(double speed, int repeats)
    {
        using var response = await TtsAsync(Client, Key, JsonSerializer.Serialize(new { text = "Hello, world.", voice_id = PiperServerFixture.Reveal, format = "wav", speed }));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var (pcm, rate) = await RevealedAudio.DecodeWavAsync(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(22050, rate);
        RevealedAudio.AssertContains(RevealedAudio.Runs(pcm), HelloWorld, repeats);
    }

    [Fact]
    public async Task The_OpenAI_endpoint_speaks_a_speaker_of_a_multi_speaker_model_as_tts_does()
    {
        var carol = await OpenAiPcmAsync("piper-en-gb-chorus-low-carol");
        var alice = await OpenAiPcmAsync("piper-en-gb-chorus-low-alice");

        // OpenAI's WAV is 24 kHz: the same audio as /v1/tts resampled to 24 kHz, and the speaker (sid) changes it.
        using var tts = await TtsAsync(Client, Key, JsonSerializer.Serialize(new { text = "Hello, world.", voice_id = "piper-en-gb-chorus-low-carol", format = "wav", sample_rate = 24000 }));
        var (expected, _) = await RevealedAudio.DecodeWavAsync(await tts.Content.ReadAsByteArrayAsync());
        Assert.Equal(expected, carol);
        Assert.Equal(alice.Length, carol.Length);
        Assert.NotEqual(alice, carol);
    }

    private async Task<byte[]> OpenAiPcmAsync(string voice)
    {
        using var response = await SendAsync(Client, HttpMethod.Post, "v1/audio/speech", Key,
            Json($$"""{"model":"tts-1","input":"Hello, world.","voice":"{{voice}}","response_format":"wav"}"""));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var (pcm, rate) = await RevealedAudio.DecodeWavAsync(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(24000, rate);
        Assert.True(pcm.Length > 200, $"only {pcm.Length} bytes of audio");
        return pcm;
    }

    [Fact]
    public async Task The_WebSocket_streams_the_exact_ids_as_pcm16()
    {
        await using var client = await RealtimeTestClient.ConnectAsync(fixture.WebSocketUri, Key);
        await client.SendAsync($$"""{"voice_id":"{{PiperServerFixture.Reveal}}","format":"pcm16","sample_rate":22050}""");
        await client.WaitForAsync(f => f.JsonType == "ready", what: "ready");
        await client.SendAsync("""{"text":"Hello, world."}""");
        await client.SendAsync("""{"flush":true}""");
        await client.WaitForAsync(f => f.JsonType == "flush_done", what: "flush_done");
        var pcm = client.Frames.Where(f => f.Type == WebSocketMessageType.Binary).SelectMany(f => f.Data).ToArray();
        RevealedAudio.AssertContains(RevealedAudio.Runs(pcm), HelloWorld, 4);
        var stats = await ServerAudio.AnalyzeRawAsync(pcm, "raw", 22050);
        Assert.True(stats.Seconds > 0.005, $"too short: {stats}");
    }

    [Fact]
    public async Task With_timestamps_gives_the_word_times_of_a_graph_with_w_ceil()
    {
        using var response = await SendAsync(Client, HttpMethod.Post, "v1/tts/with-timestamps", Key,
            Json("""{"text":"Hello, world.","voice_id":"piper-en-us-timed-medium","format":"wav"}"""));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var words = (await TestHttp.ReadJsonAsync(response)).GetProperty("words").EnumerateArray()
            .Select(w => (w.GetProperty("word").GetString(), w.GetProperty("start_ms").GetInt64())).ToArray();
        // One 256-sample frame per id at 22050 Hz: "Hello" at id 2 (23 ms), "world" at id 18 (209 ms).
        Assert.Equal([("Hello", 23L), ("world", 209L)], words);
    }

    [Fact]
    public async Task Health_and_ready_report_every_engine_and_model_with_the_skipped_ones_reason()
    {
        using var health = await Client.GetAsync("health");
        var body = await TestHttp.ReadJsonAsync(health);
        var engines = body.GetProperty("engines").EnumerateArray().ToDictionary(e => e.GetProperty("name").GetString()!);
        Assert.True(engines["piper"].GetProperty("ready").GetBoolean());
        Assert.True(engines["espeak"].GetProperty("ready").GetBoolean());
        var models = body.GetProperty("models").EnumerateArray().ToDictionary(m => Path.GetFileName(m.GetProperty("file").GetString()!));
        Assert.Equal("skipped", models["corrupt.onnx"].GetProperty("status").GetString());
        Assert.Contains("corrupt or unreadable ONNX file", models["corrupt.onnx"].GetProperty("reason").GetString());
        Assert.Equal("loaded", models["en_GB-chorus-low.onnx"].GetProperty("status").GetString());
        Assert.Equal(3, models["en_GB-chorus-low.onnx"].GetProperty("voices").GetArrayLength());
        Assert.Equal("cpu", models["en_GB-chorus-low.onnx"].GetProperty("provider").GetString());
        Assert.False(models["corrupt.onnx"].TryGetProperty("provider", out _));
        Assert.Contains("Model", fixture.Server.Output);
        Assert.Contains("corrupt.onnx skipped", fixture.Server.Output);

        using var ready = await Client.GetAsync("ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var readyBody = await TestHttp.ReadJsonAsync(ready);
        Assert.Contains(readyBody.GetProperty("models").EnumerateArray(), m => m.GetProperty("status").GetString() == "loaded");
    }

    [Fact]
    public async Task A_text_with_no_known_phoneme_is_a_clear_400_and_unknown_ones_are_counted()
    {
        var before = await MetricAsync(Client, "tts_unknown_phonemes_total");
        using var response = await TtsAsync(Client, Key, JsonSerializer.Serialize(new { text = "xyz", voice_id = PiperServerFixture.Letters, format = "wav" }));
        var detail = await AssertErrorAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("phoneme map", detail);
        Assert.True(await MetricAsync(Client, "tts_unknown_phonemes_total") >= before + 3);
    }

    [Fact]
    public async Task A_model_removed_while_the_server_runs_answers_503_engine_unavailable_and_the_others_still_speak()
    {
        File.Delete(Path.Combine(fixture.Models, "en_US-doomed-medium.onnx"));
        using var gone = await TtsAsync(Client, Key, JsonSerializer.Serialize(new { text = "Hello, world.", voice_id = PiperServerFixture.Doomed, format = "wav" }));
        await AssertErrorAsync(gone, HttpStatusCode.ServiceUnavailable);
        Assert.Equal("engine_unavailable", (await TestHttp.ReadJsonAsync(gone)).GetProperty("code").GetString());
        Assert.Equal("1", gone.Headers.RetryAfter?.ToString());

        using var other = await TtsAsync(Client, Key, JsonSerializer.Serialize(new { text = "Hello, world.", voice_id = PiperServerFixture.Reveal, format = "wav" }));
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        Assert.False(fixture.Server.HasExited);
    }
}
