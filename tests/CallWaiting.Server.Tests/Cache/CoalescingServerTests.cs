using System.Net;
using System.Text.Json;
using CallWaiting.Server.Tests.Infrastructure;
using static CallWaiting.Server.Tests.Api.ApiTestHttp;
using static CallWaiting.Server.Tests.Tts.TtsTestHttp;

namespace CallWaiting.Server.Tests.Cache;

/// <summary>
/// Identical requests while a rendering is still in progress join it instead of synthesizing again, on a real server
/// (replica B of the cache fixture); and the timestamp endpoints answer from the cache with their words.
/// </summary>
public sealed class CoalescingServerTests(CacheServerFixture fixture) : IClassFixture<CacheServerFixture>
{
    private HttpClient B => fixture.Second.Client;
    private string Admin => fixture.Server.BootstrapKey;

    // Slow on purpose (half speed, 48 kHz, about 1,100 characters): several seconds of synthesis, so later requests
    // certainly arrive while the first is still rendering.
    private static string SlowBody() =>
        $$"""{"text":"{{LongText(1100)}}","voice_id":"emily-en-us","format":"pcm16","sample_rate":48000,"speed":0.5}""";

    [Fact]
    public async Task Identical_requests_during_a_rendering_share_its_one_synthesis_and_get_the_same_bytes()
    {
        var json = SlowBody();
        var synthesesBefore = await MetricAsync(B, "tts_generation_duration_seconds_count");
        var coalescedBefore = await MetricAsync(B, "tts_cache_coalesced_total");

        using var first = await PostAsync(B, "v1/tts", Admin, json, headersOnly: true);
        Assert.Equal((HttpStatusCode.OK, "MISS"), (first.StatusCode, Header(first, "X-Cache")));
        var firstBody = first.Content.ReadAsByteArrayAsync();

        var followers = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => SynthesizeAsync(B, Admin, json)));
        var leader = await firstBody;
        Assert.True(leader.Length > 48000 * 2 * 10, $"{leader.Length} bytes"); // over ten seconds of audio
        foreach (var (status, cache, body, _) in followers)
        {
            Assert.Equal((HttpStatusCode.OK, "HIT"), (status, cache));
            Assert.Equal(leader, body);
        }

        Assert.Equal(coalescedBefore + 3, await MetricAsync(B, "tts_cache_coalesced_total"));
        // The leader's synthesis is counted just after its last byte went out, so give it a moment.
        Assert.Equal(synthesesBefore + 1, await WaitForMetricAsync(B, "tts_generation_duration_seconds_count", synthesesBefore + 1, TimeSpan.FromSeconds(5)));
        var (_, later, fromCache, _) = await SynthesizeAsync(B, Admin, json);
        Assert.Equal("HIT", later);
        Assert.Equal(leader, fromCache);
    }

    [Fact]
    public async Task A_request_that_hangs_up_does_not_cut_off_the_one_that_joined_it_and_the_worker_is_freed_after()
    {
        var json = SlowBody();
        using var client = new HttpClient(new SocketsHttpHandler { MaxResponseDrainSize = 0 }) { BaseAddress = fixture.Second.BaseAddress };
        var leaver = await PostAsync(client, "v1/tts", Admin, json, headersOnly: true);
        Assert.Equal("MISS", Header(leaver, "X-Cache"));
        Assert.True(await (await leaver.Content.ReadAsStreamAsync()).ReadAsync(new byte[4096]) > 0);

        using var joiner = await PostAsync(B, "v1/tts", Admin, json, headersOnly: true);
        Assert.Equal("HIT", Header(joiner, "X-Cache"));
        leaver.Dispose();
        var joined = await joiner.Content.ReadAsByteArrayAsync();

        Assert.Equal(0, await WaitForMetricAsync(B, "tts_engine_busy_workers", 0, TimeSpan.FromSeconds(5)));
        var (_, cache, whole, _) = await SynthesizeAsync(B, Admin, json);
        Assert.Equal("HIT", cache); // the rendering completed for the joiner, so it was stored
        Assert.Equal(whole, joined);
        var audio = await ServerAudio.AnalyzeRawAsync(joined, "raw", 48000);
        Assert.True(audio.Seconds > 10, $"{audio.Seconds} s");
        Assert.True(audio.RmsAmplitude > 0.01, $"RMS {audio.RmsAmplitude}");
    }

    [Fact]
    public async Task Word_timestamps_come_from_the_cache_with_the_same_audio_and_words()
    {
        var json = $$"""{"text":"Your appointment is at {{Random.Shared.Next(1, 12)}} thirty on Tuesday, reference {{Guid.NewGuid():N}}.","voice_id":"emily-en-us","format":"mp3"}""";
        using var missResponse = await PostAsync(B, "v1/tts/with-timestamps", Admin, json);
        Assert.Equal((HttpStatusCode.OK, "MISS"), (missResponse.StatusCode, Header(missResponse, "X-Cache")));
        var miss = await ReadJsonAsync(missResponse);
        var words = Words(miss);
        Assert.True(words.Count >= 8, $"{words.Count} words");

        using var hitResponse = await PostAsync(B, "v1/tts/with-timestamps", Admin, json);
        Assert.Equal((HttpStatusCode.OK, "HIT"), (hitResponse.StatusCode, Header(hitResponse, "X-Cache")));
        var hit = await ReadJsonAsync(hitResponse);
        Assert.Equal(miss.GetProperty("audio_base64").GetString(), hit.GetProperty("audio_base64").GetString());
        Assert.Equal(miss.GetProperty("duration_ms").GetInt64(), hit.GetProperty("duration_ms").GetInt64());
        Assert.Equal(words, Words(hit));

        // The same rendering serves /v1/tts and the NDJSON stream.
        var (_, ttsCache, mp3, _) = await SynthesizeAsync(B, Admin, json);
        Assert.Equal("HIT", ttsCache);
        Assert.Equal(Convert.FromBase64String(miss.GetProperty("audio_base64").GetString()!), mp3);

        using var streamResponse = await PostAsync(B, "v1/tts/stream-with-timestamps", Admin, json);
        Assert.Equal("HIT", Header(streamResponse, "X-Cache"));
        var lines = (await streamResponse.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement).ToList();
        Assert.Equal(mp3, lines.SelectMany(l => Convert.FromBase64String(l.GetProperty("audio_base64").GetString()!)).ToArray());
        Assert.Equal(words, lines.SelectMany(Words).ToList());
        Assert.True(lines[^1].GetProperty("done").GetBoolean());
        Assert.Equal(miss.GetProperty("duration_ms").GetInt64(), lines[^1].GetProperty("duration_ms").GetInt64());
    }

    private static List<(string, long, long)> Words(JsonElement answer) =>
        answer.GetProperty("words").EnumerateArray()
            .Select(w => (w.GetProperty("word").GetString()!, w.GetProperty("start_ms").GetInt64(), w.GetProperty("end_ms").GetInt64())).ToList();
}
