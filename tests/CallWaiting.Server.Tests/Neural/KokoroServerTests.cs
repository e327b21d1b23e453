using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using CallWaiting.Server.Tests.Realtime;
using static CallWaiting.Server.Tests.Api.ApiTestHttp;

namespace CallWaiting.Server.Tests.Neural;

/// <summary>
/// A Kokoro model folder dropped into the models folder, end to end through a real server: its voices listed as
/// kokoro-NAME, /v1/tts, the OpenAI endpoint (by slug and by a mapped OpenAI voice name) and the WebSocket speaking at
/// 24 kHz with the exact tokens, style row and speed reaching the graph (read back from the decoded audio), hexgrad's
/// int32-speed export refusing a fractional speed with a 400, word timestamps read from an export's per-token durations
/// or else estimated from the token count, and a folder without a vocab reported as a skipped Kokoro model, not a Piper one.
/// </summary>
[Collection(PiperServerCollection.Name)]
public sealed class KokoroServerTests(PiperServerFixture fixture)
{
    // "Hello, world." for en-us through Kokoro's vocab (derived from espeak-ng's IPA in the speech tests' KokoroKit), padded.
    internal static readonly long[] HelloWorld = [0, 50, 83, 54, 156, 57, 135, 3, 16, 65, 156, 87, 158, 54, 46, 4, 0];

    private HttpClient Client => fixture.Server.Client;

    private string Key => fixture.Server.BootstrapKey;

    [Fact]
    public async Task The_voices_are_listed_and_tts_speaks_the_exact_tokens_at_24_khz()
    {
        using var voices = await GetAsync(Client, "v1/voices", Key);
        var listed = (await TestHttp.ReadJsonAsync(voices)).EnumerateArray().ToDictionary(v => v.GetProperty("slug").GetString()!);
        Assert.Equal("en-US", listed["kokoro-af-test"].GetProperty("language").GetString());
        Assert.Equal("en-GB", listed["kokoro-bm-test"].GetProperty("language").GetString());

        using var response = await TtsAsync(Client, Key, JsonSerializer.Serialize(new { text = "Hello, world.", voice_id = "kokoro-af-test", format = "wav", speed = 2.0 }));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var (pcm, rate) = await RevealedAudio.DecodeWavAsync(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(24000, rate);
        AssertHelloWorldAtSpeedTwo(pcm);
    }

    [Theory]
    [InlineData("kokoro-af-test", "wav")]
    [InlineData(PiperServerFixture.OpenAiKokoro, "pcm")]
    public async Task The_OpenAI_endpoint_speaks_a_kokoro_voice_by_slug_or_mapped_name_with_the_exact_tokens(string voice, string format)
    {
        using var response = await SendAsync(Client, HttpMethod.Post, "v1/audio/speech", Key,
            Json($$"""{"model":"tts-1","input":"Hello, world.","voice":"{{voice}}","response_format":"{{format}}","speed":2.0}"""));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsByteArrayAsync();
        if (format == "wav")
        {
            var (pcm, rate) = await RevealedAudio.DecodeWavAsync(body);
            Assert.Equal(24000, rate);
            body = pcm;
        }
        AssertHelloWorldAtSpeedTwo(body);
    }

    [Fact]
    public async Task The_WebSocket_streams_the_exact_tokens_as_pcm16()
    {
        await using var client = await RealtimeTestClient.ConnectAsync(fixture.WebSocketUri, Key);
        await client.SendAsync("""{"voice_id":"kokoro-af-test","format":"pcm16","sample_rate":24000,"speed":2.0}""");
        await client.WaitForAsync(f => f.JsonType == "ready", what: "ready");
        await client.SendAsync("""{"text":"Hello, world."}""");
        await client.SendAsync("""{"flush":true}""");
        await client.WaitForAsync(f => f.JsonType == "flush_done", what: "flush_done");
        AssertHelloWorldAtSpeedTwo(client.Frames.Where(f => f.Type == WebSocketMessageType.Binary).SelectMany(f => f.Data).ToArray());
    }

    // Speed 2: each token a run of ceil(4 / 2) samples, after the header: speed/10, 17 ids, the style row 15 (tokens
    // without the pads) and af_test's marker 0.01.
    private static void AssertHelloWorldAtSpeedTwo(byte[] pcm)
    {
        var runs = RevealedAudio.Runs(pcm);
        RevealedAudio.AssertContains(runs, HelloWorld, 2);
        var ids = runs.Select(r => r.Id).ToList();
        var start = Enumerable.Range(0, ids.Count).First(i => ids.Skip(i).Take(HelloWorld.Length).SequenceEqual(HelloWorld));
        Assert.Equal([200L, 17, 15, 10], ids.Skip(start - 4).Take(4));
    }

    [Fact]
    public async Task Health_lists_the_kokoro_engine_and_the_folder_without_a_vocab_as_a_skipped_kokoro_model()
    {
        using var health = await Client.GetAsync("health");
        var body = await TestHttp.ReadJsonAsync(health);
        var engines = body.GetProperty("engines").EnumerateArray().ToDictionary(e => e.GetProperty("name").GetString()!);
        Assert.True(engines["kokoro"].GetProperty("ready").GetBoolean());
        Assert.Equal(4, engines["kokoro"].GetProperty("voices").GetInt32());
        var models = body.GetProperty("models").EnumerateArray().Where(m => m.GetProperty("engine").GetString() == "kokoro")
            .ToDictionary(m => Path.GetFileName(Path.GetDirectoryName(m.GetProperty("file").GetString()!))!);
        Assert.Equal("loaded", models["kokoro-v1"].GetProperty("status").GetString());
        Assert.Equal("skipped", models["kokoro-broken"].GetProperty("status").GetString());
        Assert.Contains("no vocab", models["kokoro-broken"].GetProperty("reason").GetString());
        Assert.DoesNotContain(body.GetProperty("models").EnumerateArray(),
            m => m.GetProperty("engine").GetString() == "piper" && m.GetProperty("file").GetString()!.Contains("kokoro", StringComparison.Ordinal));
    }

    [Fact]
    public async Task With_timestamps_reads_the_word_times_from_the_exports_per_token_durations()
    {
        var words = await WordsAsync("kokoro-af-timed");
        // Durations (id mod 4) + 1 frames of 600 samples at 24 kHz: "Hello" after the pad's 1 frame (25 ms), "world" after
        // the 23 frames of the pad and "həlˈoʊ, " (575 ms); an even split of the 40,804 samples would put it at 900 ms.
        Assert.Equal([("Hello", 25L), ("world", 575L)], words);
    }

    [Fact]
    public async Task With_timestamps_estimates_the_word_times_of_an_export_without_durations_from_the_token_count()
    {
        // Speed 0.5: 8 samples per token after the 4-sample header, 140 in all; "world" is the padded token 9 of 17, so it
        // starts at 9/17 of the samples (74, 3 ms). The speech tests check the samples exactly.
        var words = await WordsAsync("kokoro-af-test", speed: 0.5);
        Assert.Equal([("Hello", 0L), ("world", 3L)], words);
    }

    private async Task<(string?, long)[]> WordsAsync(string voice, double speed = 1.0)
    {
        using var response = await SendAsync(Client, HttpMethod.Post, "v1/tts/with-timestamps", Key,
            Json(JsonSerializer.Serialize(new { text = "Hello, world.", voice_id = voice, format = "wav", speed })));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return [.. (await TestHttp.ReadJsonAsync(response)).GetProperty("words").EnumerateArray()
            .Select(w => (w.GetProperty("word").GetString(), w.GetProperty("start_ms").GetInt64()))];
    }

    [Fact]
    public async Task The_int32_speed_export_answers_400_for_a_fractional_speed_and_speaks_a_whole_one()
    {
        using var fractional = await TtsAsync(Client, Key, JsonSerializer.Serialize(new { text = "Hello.", voice_id = "kokoro-af-whole", format = "wav", speed = 1.5 }));
        Assert.Contains("whole-number speeds only", await AssertErrorAsync(fractional, HttpStatusCode.BadRequest));

        using var whole = await TtsAsync(Client, Key, JsonSerializer.Serialize(new { text = "Hello, world.", voice_id = "kokoro-af-whole", format = "wav", speed = 2.0 }));
        Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
        var (pcm, _) = await RevealedAudio.DecodeWavAsync(await whole.Content.ReadAsByteArrayAsync());
        RevealedAudio.AssertContains(RevealedAudio.Runs(pcm), HelloWorld, 2);
    }
}
