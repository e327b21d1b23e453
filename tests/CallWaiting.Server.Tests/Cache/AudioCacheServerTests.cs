using System.Net;
using CallWaiting.Server.Cache;
using CallWaiting.Server.Storage;
using CallWaiting.Server.Tests.Infrastructure;
using Dapper;
using static CallWaiting.Server.Tests.Api.ApiTestHttp;
using static CallWaiting.Server.Tests.Tts.TtsTestHttp;

namespace CallWaiting.Server.Tests.Cache;

/// <summary>The shared audio cache through two real replicas on PostgreSQL and Redis: hits, sharing, metering, tenants, cancellation and prewarm.</summary>
public sealed class AudioCacheServerTests(CacheServerFixture fixture) : IClassFixture<CacheServerFixture>
{
    private HttpClient A => fixture.Server.Client;
    private HttpClient B => fixture.Second.Client;
    private string Admin => fixture.Server.BootstrapKey;

    [Theory]
    [InlineData("wav", true)]
    [InlineData("mp3", false)]
    [InlineData("opus", true)]
    [InlineData("ulaw", false)]
    public async Task A_miss_fills_the_cache_and_the_hit_is_byte_identical(string format, bool stream)
    {
        var json = Body(Unique("Your table is ready"), format, $",\"stream\":{(stream ? "true" : "false")}");
        var (missStatus, missCache, miss, _) = await SynthesizeAsync(A, Admin, json);
        Assert.Equal(HttpStatusCode.OK, missStatus);
        Assert.Equal("MISS", missCache);

        var synthesesBefore = await MetricAsync(A, "tts_generation_duration_seconds_count");
        using var hitResponse = await PostAsync(A, "v1/tts", Admin, json);
        Assert.Equal(HttpStatusCode.OK, hitResponse.StatusCode);
        Assert.Equal("HIT", Header(hitResponse, "X-Cache"));
        var hit = await hitResponse.Content.ReadAsByteArrayAsync();
        Assert.Equal(miss, hit);
        Assert.Equal(hit.Length, hitResponse.Content.Headers.ContentLength);
        Assert.False(string.IsNullOrEmpty(Header(hitResponse, "X-Voice-ID")));
        Assert.Contains("filename=", Header(hitResponse, "Content-Disposition"));
        AssertRateLimitHeaders(hitResponse);
        Assert.Equal(synthesesBefore, await MetricAsync(A, "tts_generation_duration_seconds_count")); // nothing was synthesized

        // Every parameter is part of the key: another speed is another rendering.
        var (_, otherCache, _, _) = await SynthesizeAsync(A, Admin, json.Replace("}", ",\"speed\":1.5}"));
        Assert.Equal("MISS", otherCache);
    }

    [Fact]
    public async Task A_miss_on_one_replica_is_a_hit_on_the_other_with_the_same_bytes()
    {
        var json = Body(Unique("Press one for sales"), "mp3");
        var stored = await RedisEntriesAsync();
        var (status, cache, fromA, _) = await SynthesizeAsync(A, Admin, json);
        Assert.Equal((HttpStatusCode.OK, "MISS"), (status, cache));
        await WaitForRedisEntriesAsync(stored + 1);

        var redisHitsBefore = await MetricAsync(B, "tts_cache_lookups_total{result=\"redis\"}");
        var (statusB, cacheB, fromB, _) = await SynthesizeAsync(B, Admin, json);
        Assert.Equal((HttpStatusCode.OK, "HIT"), (statusB, cacheB));
        Assert.Equal(fromA, fromB);
        Assert.Equal(redisHitsBefore + 1, await MetricAsync(B, "tts_cache_lookups_total{result=\"redis\"}"));
    }

    [Fact]
    public async Task Hits_are_still_authenticated_rate_limited_and_metered_with_the_cached_flag()
    {
        await Tests.RateLimiting.RedisWindowHeadroom.EnsureMinuteHeadroomAsync(fixture.RedisFixture.AdminServer, TimeSpan.FromSeconds(15));
        var key = await fixture.Store.CreateKeyAsync(perMinute: 3);
        var text = Unique("Metered from memory");
        var json = Body(text, "ulaw");

        using (var anonymous = await SendAsync(A, HttpMethod.Post, "v1/tts", null, Json(json))) await AssertErrorAsync(anonymous, HttpStatusCode.Unauthorized);
        var requestIds = new List<string>();
        var seconds = 0.0;
        foreach (var expected in new[] { "MISS", "HIT", "HIT" })
        {
            using var response = await PostAsync(A, "v1/tts", key.Key, json);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(expected, Header(response, "X-Cache"));
            requestIds.Add(Header(response, "X-Request-ID"));
            seconds = (await Tts.TtsTestAudio.DecodeAsync(await response.Content.ReadAsByteArrayAsync(), "ulaw", 8000)).Seconds;
        }
        using (var limited = await PostAsync(A, "v1/tts", key.Key, json)) await AssertErrorAsync(limited, HttpStatusCode.TooManyRequests);

        var usage = await WaitForAsync(async connection => (await connection.QueryAsync<(long Requests, long Characters, long Cached, double Seconds)>(
            "SELECT requests, characters, cached_requests, audio_seconds FROM usage_counters WHERE api_key_id = @Id", new { key.Id })).SingleOrDefault(),
            u => u.Requests >= 3);
        Assert.Equal((3L, 3L * text.Length, 2L), (usage.Requests, usage.Characters, usage.Cached));
        var logs = await WaitForAsync(async connection => (await connection.QueryAsync<(string RequestId, bool Cached)>(
            "SELECT request_id, cached FROM request_logs WHERE api_key_id = @Id AND status = 200", new { key.Id })).ToList(), l => l.Count >= 3);
        Assert.Equal([false, true, true], requestIds.Select(id => logs.Single(l => l.RequestId == id).Cached).ToArray());
        // The request's console log line says it too (found by the key's 20-character prefix, which the line carries).
        var lines = fixture.Server.Output.Split('\n').Where(l => l.Contains("POST /v1/tts 200", StringComparison.Ordinal) && l.Contains(key.Key[..20], StringComparison.Ordinal)).ToList();
        Assert.Equal(["cached=False", "cached=True", "cached=True"], lines.Select(l => l.Contains("cached=True", StringComparison.Ordinal) ? "cached=True" : "cached=False").ToArray());
        // A hit is metered with the audio it sent, as long as the miss's.
        Assert.InRange(usage.Seconds, 3 * seconds - 0.01, 3 * seconds + 0.01);
    }

    [Fact]
    public async Task Private_voices_are_cached_per_tenant_and_public_voices_too()
    {
        var (acme, a, b) = await TwoTenantsAsync("voice");
        // The same engine voice as the public emily-en-us (flite slt), so only the key's voice and tenant tell them apart.
        var voice = new StoredVoice(Guid.NewGuid(), $"acme-cache-voice-{Guid.NewGuid():N}"[..28], acme, "Acme", "Acme's own voice.", "en-US", "female",
            "flite", "slt", null, "{}", StorageTime.Truncate(DateTimeOffset.UtcNow));
        Assert.True(await fixture.Store.Voices.TryCreateAsync(voice));
        var text = Unique("Welcome to Acme");

        Assert.Equal("MISS", (await SynthesizeAsync(A, a, Body(text, "wav", voice: voice.Slug))).Cache);
        Assert.Equal("HIT", (await SynthesizeAsync(A, a, Body(text, "wav", voice: voice.Slug))).Cache);
        using (var other = await PostAsync(A, "v1/tts", b, Body(text, "wav", voice: voice.Slug))) await AssertErrorAsync(other, HttpStatusCode.NotFound);
        using (var byId = await PostAsync(A, "v1/tts", b, Body(text, "wav", voice: voice.Id.ToString()))) await AssertErrorAsync(byId, HttpStatusCode.NotFound);
        Assert.Equal("MISS", (await SynthesizeAsync(A, b, Body(text, "wav"))).Cache);

        var shared = Unique("Thanks for your patience");
        Assert.Equal("MISS", (await SynthesizeAsync(A, a, Body(shared, "wav"))).Cache);
        var fromB = await SynthesizeAsync(A, b, Body(shared, "wav"));
        Assert.Equal((HttpStatusCode.OK, "MISS"), (fromB.Status, fromB.Cache));
        Assert.Equal("HIT", (await SynthesizeAsync(A, a, Body(shared, "wav"))).Cache);
        Assert.Equal("HIT", (await SynthesizeAsync(A, b, Body(shared, "wav"))).Cache);
    }

    [Fact]
    public async Task What_one_tenant_rendered_is_a_miss_for_another_on_every_cached_path()
    {
        var (_, a, b) = await TwoTenantsAsync("paths");
        var (_, c, _) = await TwoTenantsAsync("paths");
        var tts = Body(Unique("Hello Maria, your verification code is 4 8 2 7"), "mp3");
        var speech = $$"""{"model":"tts-1","input":"{{Unique("Your one-time passcode is 9 1 3")}}","voice":"alloy","response_format":"mp3"}""";
        var timestamps = Body(Unique("Your PIN was reset"), "mp3");
        var ndjson = Body(Unique("Your balance is low"), "ulaw");
        foreach (var (path, json) in new[] { ("v1/tts", tts), ("v1/audio/speech", speech), ("v1/tts/with-timestamps", timestamps), ("v1/tts/stream-with-timestamps", ndjson) })
        {
            Assert.Equal("MISS", await CacheStateAsync(A, path, a, json));
            Assert.Equal("HIT", await CacheStateAsync(A, path, a, json));
            Assert.Equal("HIT", await CacheStateAsync(B, path, a, json)); // the entry is in Redis for the other replica
            Assert.Equal("MISS", await CacheStateAsync(B, path, b, json)); // but not for the other tenant
            Assert.Equal("MISS", await CacheStateAsync(A, path, c, json));
        }

        var prompt = Body(Unique("For the pharmacy press three"), "ulaw");
        using (var prewarm = await PostAsync(A, "v1/cache/prewarm", a, $$"""{"prompts":[{{prompt}}]}"""))
            Assert.Equal("rendered", (await ReadJsonAsync(prewarm)).GetProperty("results")[0].GetProperty("status").GetString());
        Assert.Equal("MISS", await CacheStateAsync(A, "v1/tts", b, prompt));
        Assert.Equal("HIT", await CacheStateAsync(A, "v1/tts", a, prompt));

        // A WebSocket session of the other tenant synthesizes the sentence again instead of reading the first tenant's entry.
        var sentence = Unique("Your courier arrives at noon");
        Assert.Equal("MISS", await CacheStateAsync(A, "v1/tts", a, $$"""{"text":"{{sentence}}","voice_id":"james-en-us","format":"pcm16","sample_rate":24000}"""));
        var synthesesBefore = await MetricAsync(A, "tts_generation_duration_seconds_count");
        await using (var session = await Realtime.RealtimeTestClient.ConnectAsync(new Uri($"ws://{fixture.Server.BaseAddress.Authority}/v1/tts/ws"), b))
        {
            await session.SendAsync("""{"voice_id":"james-en-us","format":"pcm16","sample_rate":24000}""");
            await session.SendAsync($$"""{"text":"{{sentence}}"}""");
            await session.SendAsync("""{"close":true}""");
            Assert.Equal(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, (await session.WaitForCloseAsync()).CloseStatus);
        }
        Assert.Equal(synthesesBefore + 1, await WaitForMetricAsync(A, "tts_generation_duration_seconds_count", synthesesBefore + 1, TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task Another_tenant_never_joins_a_rendering_in_progress()
    {
        var (_, a, b) = await TwoTenantsAsync("join");
        var json = $$"""{"text":"{{LongText(1100)}}","voice_id":"emily-en-us","format":"pcm16","sample_rate":48000,"speed":0.5}""";
        var coalescedBefore = await MetricAsync(B, "tts_cache_coalesced_total");

        using var leader = await PostAsync(B, "v1/tts", a, json, headersOnly: true);
        Assert.Equal((HttpStatusCode.OK, "MISS"), (leader.StatusCode, Header(leader, "X-Cache")));
        using var stranger = await PostAsync(B, "v1/tts", b, json, headersOnly: true);
        Assert.Equal((HttpStatusCode.OK, "MISS"), (stranger.StatusCode, Header(stranger, "X-Cache")));
        using var colleague = await PostAsync(B, "v1/tts", a, json, headersOnly: true);
        Assert.Equal((HttpStatusCode.OK, "HIT"), (colleague.StatusCode, Header(colleague, "X-Cache")));

        var bodies = await Task.WhenAll(leader.Content.ReadAsByteArrayAsync(), stranger.Content.ReadAsByteArrayAsync(), colleague.Content.ReadAsByteArrayAsync());
        Assert.Equal(bodies[0], bodies[2]);
        Assert.True(bodies[1].Length > 48000 * 2 * 10, $"{bodies[1].Length} bytes");
        Assert.Equal(coalescedBefore + 1, await MetricAsync(B, "tts_cache_coalesced_total"));
    }

    [Fact]
    public async Task Another_tenant_cannot_tell_rendered_text_from_unseen_text_by_timing()
    {
        var (_, a, b) = await TwoTenantsAsync("timing");
        const int Pairs = 12;
        var seen = Enumerable.Range(0, Pairs).Select(i => Body(Unique($"Hello Maria, your verification code is 4 8 {i % 10} 7"), "mp3")).ToArray();
        var unseen = Enumerable.Range(0, Pairs).Select(i => Body(Unique($"Hello Maria, your verification code is 4 8 {i % 10} 7"), "mp3")).ToArray();
        foreach (var json in seen) Assert.Equal("MISS", await CacheStateAsync(A, "v1/tts", a, json));

        // Interleaved, so both series see the same machine load.
        var strangerOnSeen = new List<double>();
        var strangerOnUnseen = new List<double>();
        var ownerOnSeen = new List<double>();
        for (var i = 0; i < Pairs; i++)
        {
            strangerOnSeen.Add(await TimedAsync(b, seen[i], "MISS"));
            strangerOnUnseen.Add(await TimedAsync(b, unseen[i], "MISS"));
            ownerOnSeen.Add(await TimedAsync(a, seen[i], "HIT"));
        }

        // The share of (x, y) pairs where x is faster: ~0.5 for one distribution, ~1 when a cache answers x.
        static double Faster(List<double> x, List<double> y) => x.Sum(p => y.Count(q => p < q)) / (double)(x.Count * y.Count);
        Assert.True(Faster(ownerOnSeen, strangerOnUnseen) > 0.95, $"the owner's hits are not faster: {Faster(ownerOnSeen, strangerOnUnseen):F2}");
        Assert.True(Faster(strangerOnSeen, strangerOnUnseen) < 0.8,
            $"another tenant's text answered faster: {Faster(strangerOnSeen, strangerOnUnseen):F2} of pairs; seen {string.Join(", ", strangerOnSeen.Select(t => t.ToString("F1")))} ms, unseen {string.Join(", ", strangerOnUnseen.Select(t => t.ToString("F1")))} ms");
    }

    [Fact]
    public async Task A_stream_the_client_abandons_is_not_cached_and_a_complete_one_is()
    {
        var json = $$"""{"text":"{{LongText(1150)}}","voice_id":"emily-en-us","format":"pcm16","sample_rate":48000,"speed":0.5}""";
        using (var client = new HttpClient(new SocketsHttpHandler { MaxResponseDrainSize = 0 }) { BaseAddress = fixture.Second.BaseAddress })
        {
            var response = await PostAsync(client, "v1/tts", Admin, json, headersOnly: true);
            Assert.Equal("MISS", Header(response, "X-Cache"));
            var stream = await response.Content.ReadAsStreamAsync();
            Assert.True(await stream.ReadAsync(new byte[4096]) > 0);
            Assert.Equal(1, await WaitForMetricAsync(B, "tts_engine_busy_workers", 1, TimeSpan.FromSeconds(10)));
            response.Dispose();
            Assert.Equal(0, await WaitForMetricAsync(B, "tts_engine_busy_workers", 0, TimeSpan.FromSeconds(3)));
        }

        var (status, cache, whole, _) = await SynthesizeAsync(B, Admin, json);
        Assert.Equal((HttpStatusCode.OK, "MISS"), (status, cache));
        var (_, again, hit, _) = await SynthesizeAsync(B, Admin, json);
        Assert.Equal("HIT", again);
        Assert.Equal(whole, hit);
    }

    [Fact]
    public async Task Prewarm_renders_each_prompt_once_and_later_requests_hit_on_every_replica()
    {
        var key = await fixture.Store.CreateKeyAsync();
        var menu = Body(Unique("For billing press two"), "ulaw");
        var greeting = Body(Unique("Good morning"), "mp3", voice: "sophia-en-gb");
        var body = $$"""{"prompts":[{{menu}},{{greeting}},{"text":"Hi","voice_id":"nobody-en-us"},{"text":"Hi","voice_id":"emily-en-us","format":"aiff"}]}""";

        using (var response = await PostAsync(A, "v1/cache/prewarm", key.Key, body))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var answer = await ReadJsonAsync(response);
            var results = answer.GetProperty("results").EnumerateArray().ToList();
            Assert.Equal(["rendered", "rendered", "failed", "failed"], results.Select(r => r.GetProperty("status").GetString()!).ToArray());
            Assert.Equal([0, 1, 2, 3], results.Select(r => r.GetProperty("index").GetInt32()).ToArray());
            Assert.Equal("voice_not_found", results[2].GetProperty("code").GetString());
            Assert.Contains("format", results[3].GetProperty("detail").GetString());
            Assert.True(results[0].GetProperty("bytes").GetInt64() > 1000);
            Assert.Equal((2, 0, 2), (answer.GetProperty("rendered").GetInt32(), answer.GetProperty("cached").GetInt32(), answer.GetProperty("failed").GetInt32()));
        }

        var usage = await WaitForAsync(async connection => (await connection.QueryAsync<(long Requests, long Cached)>(
            "SELECT requests, cached_requests FROM usage_counters WHERE api_key_id = @Id", new { key.Id })).SingleOrDefault(), u => u.Requests >= 2);
        Assert.Equal((2L, 0L), usage);

        Assert.Equal("HIT", (await SynthesizeAsync(A, key.Key, menu)).Cache);
        Assert.Equal("HIT", (await SynthesizeAsync(B, key.Key, greeting)).Cache);
        using (var again = await PostAsync(B, "v1/cache/prewarm", key.Key, $$"""{"prompts":[{{menu}}]}"""))
            Assert.Equal("cached", (await ReadJsonAsync(again)).GetProperty("results")[0].GetProperty("status").GetString());
    }

    [Fact]
    public async Task Prewarm_refuses_bad_lists_and_needs_tts_write()
    {
        var prompt = Body("Hello", "ulaw");
        var tooMany = $$"""{"prompts":[{{string.Join(",", Enumerable.Repeat(prompt, 101))}}]}""";
        foreach (var body in new[] { tooMany, """{"prompts":[]}""", """{"prompts":{}}""", """[{"text":"Hi"}]""", """{"prompts":[1""" })
        {
            using var response = await PostAsync(A, "v1/cache/prewarm", Admin, body);
            await AssertErrorAsync(response, HttpStatusCode.BadRequest);
        }
        var readOnly = await fixture.Store.CreateKeyAsync(scopes: "voices:read");
        using var forbidden = await PostAsync(A, "v1/cache/prewarm", readOnly.Key, $$"""{"prompts":[{{prompt}}]}""");
        Assert.Contains("tts:write", await AssertErrorAsync(forbidden, HttpStatusCode.Forbidden));
    }

    private async Task<(Guid Acme, string A, string B)> TwoTenantsAsync(string test)
    {
        var suffix = $"{test}-{Guid.NewGuid():N}"[..20];
        var acme = await fixture.Store.Tenants.CreateAsync("Acme", $"acme-{suffix}");
        await fixture.Store.Tenants.CreateAsync("Globex", $"globex-{suffix}");
        return (acme.Id, (await fixture.Store.CreateKeyAsync($"acme-{suffix}")).Key, (await fixture.Store.CreateKeyAsync($"globex-{suffix}")).Key);
    }

    private static async Task<string> CacheStateAsync(HttpClient client, string path, string key, string json)
    {
        using var response = await PostAsync(client, path, key, json);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotEmpty(await response.Content.ReadAsByteArrayAsync());
        return Header(response, "X-Cache");
    }

    /// <summary>Milliseconds from sending <paramref name="json"/> to the last byte of the answer, asserting its X-Cache.</summary>
    private async Task<double> TimedAsync(string key, string json, string expected)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var (status, cache, body, _) = await SynthesizeAsync(A, key, json);
        var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        Assert.Equal((HttpStatusCode.OK, expected), (status, cache));
        Assert.True(body.Length > 1000);
        return elapsed;
    }

    private static string Unique(string text) => $"{text}, reference {Random.Shared.Next(10_000, 99_999)}.";

    private static string Body(string text, string format, string extra = "", string voice = "emily-en-us") =>
        $$"""{"text":"{{text}}","voice_id":"{{voice}}","format":"{{format}}"{{extra}}}""";

    private async Task<long> RedisEntriesAsync()
    {
        var count = 0L;
        await foreach (var _ in fixture.RedisFixture.AdminServer.KeysAsync(pattern: RedisAudioCache.KeyPrefix + "*")) count++;
        return count;
    }

    // At least: other test classes (and other suites on a shared CI Redis) may store entries of their own meanwhile;
    // that this request's entry is the one read is shown by the other replica's Redis hit.
    private async Task WaitForRedisEntriesAsync(long expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (await RedisEntriesAsync() < expected && DateTime.UtcNow < deadline) await Task.Delay(50);
        Assert.True(await RedisEntriesAsync() >= expected, $"fewer than {expected} entries in Redis");
    }

    private async Task<T> WaitForAsync<T>(Func<System.Data.Common.DbConnection, Task<T>> read, Func<T, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            await using var connection = await fixture.Store.Database.OpenConnectionAsync();
            var value = await read(connection);
            if (done(value) || DateTime.UtcNow > deadline) return value;
            await Task.Delay(200);
        }
    }
}
