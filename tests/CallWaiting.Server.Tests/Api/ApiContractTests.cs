using System.Net;
using System.Text;
using System.Text.Json;
using CallWaiting.Server.ApiKeys;
using CallWaiting.Server.Tests.Infrastructure;
using static CallWaiting.Server.Tests.Api.ApiTestHttp;

namespace CallWaiting.Server.Tests.Api;

/// <summary>Every row of DESIGN.md §2 against one real server on PostgreSQL and Redis, over HTTP.</summary>
public sealed class ApiContractTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private const string Sentence = "Thank you for calling. Please hold.";
    private HttpClient Client => fixture.Server.Client;
    private string Admin => fixture.Server.BootstrapKey;

    [Fact]
    public async Task Health_reports_every_component_without_a_key()
    {
        using var response = await Client.GetAsync("health");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await ReadJsonAsync(response);
        Assert.Equal("healthy", body.GetProperty("status").GetString());
        Assert.True(DateTimeOffset.UtcNow - body.GetProperty("timestamp").GetDateTimeOffset() < TimeSpan.FromMinutes(1));
        var components = body.GetProperty("components");
        Assert.True(components.GetProperty("tts_model").GetBoolean());
        Assert.True(components.GetProperty("database").GetBoolean());
        Assert.True(components.GetProperty("redis").GetBoolean());
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("DENY", Header(response, "X-Frame-Options"));
        Assert.Equal("no-referrer", Header(response, "Referrer-Policy"));
        Assert.Contains("default-src 'none'", Header(response, "Content-Security-Policy"));
    }

    [Fact]
    public async Task Ready_answers_200_once_engines_database_and_redis_are_up()
    {
        using var response = await Client.GetAsync("ready");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ready", (await ReadJsonAsync(response)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Docs_serve_the_interactive_reference_and_the_raw_document()
    {
        using var docs = await Client.GetAsync("docs/");
        Assert.Equal(HttpStatusCode.OK, docs.StatusCode);
        Assert.Equal("text/html", docs.Content.Headers.ContentType?.MediaType);
        var page = await docs.Content.ReadAsStringAsync();
        Assert.Contains("openapi/v1.json", page);
        Assert.Contains("script-src 'self'", Header(docs, "Content-Security-Policy"));
        using var script = await Client.GetAsync("docs/scalar.js");
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.True((await script.Content.ReadAsByteArrayAsync()).Length > 10_000, "the UI bundle is served locally, not from a CDN");

        var document = await Client.GetStringAsync("openapi/v1.json");
        foreach (var expected in new[] { "\"/v1/tts\"", "\"/v1/voices/{voice_id}\"", "\"/v1/usage\"", "\"/v1/auth/verify\"", "\"x-api-key\"", "\"voice_id\"", "emily-en-us" })
            Assert.Contains(expected, document);

        // The schemas carry the contract types' XML docs (GenerateDocumentationFile feeds the OpenAPI generator).
        using var parsed = JsonDocument.Parse(document);
        var tts = parsed.RootElement.GetProperty("components").GetProperty("schemas").GetProperty("TtsRequest");
        Assert.StartsWith("The body of POST /v1/tts", tts.GetProperty("description").GetString());
        Assert.Contains("at most", tts.GetProperty("properties").GetProperty("text").GetProperty("description").GetString());
    }

    [Fact]
    public async Task Voices_list_public_voices_in_the_seed_shape_with_either_header()
    {
        foreach (var bearer in new[] { false, true })
        {
            using var response = await GetAsync(Client, "v1/voices", Admin, bearer);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            AssertRateLimitHeaders(response);
            var voices = (await ReadJsonAsync(response)).EnumerateArray().ToList();
            foreach (var slug in new[] { "emily-en-us", "james-en-us", "sophia-en-gb" })
                Assert.Contains(voices, v => v.GetProperty("slug").GetString() == slug);
            foreach (var voice in voices)
            {
                Assert.True(Guid.TryParse(voice.GetProperty("id").GetString(), out _));
                foreach (var field in new[] { "display_name", "description", "language", "gender" })
                    Assert.False(string.IsNullOrEmpty(voice.GetProperty(field).GetString()));
                Assert.True(voice.TryGetProperty("sample_url", out _));
                Assert.True(voice.GetProperty("is_public").GetBoolean());
            }

            var emily = voices.Single(v => v.GetProperty("slug").GetString() == "emily-en-us");
            Assert.Equal("en-US", emily.GetProperty("language").GetString());
            Assert.Equal("female", emily.GetProperty("gender").GetString());
        }
    }

    [Fact]
    public async Task A_voice_is_found_by_uuid_or_slug_and_a_missing_one_is_404_with_rate_limit_headers()
    {
        using var bySlug = await GetAsync(Client, "v1/voices/james-en-us", Admin);
        var voice = await ReadJsonAsync(bySlug);
        var id = voice.GetProperty("id").GetString()!;
        using var byId = await GetAsync(Client, $"v1/voices/{id}", Admin);
        Assert.Equal(HttpStatusCode.OK, byId.StatusCode);
        Assert.Equal("james-en-us", (await ReadJsonAsync(byId)).GetProperty("slug").GetString());

        using var missing = await GetAsync(Client, $"v1/voices/{Guid.NewGuid()}", Admin);
        await AssertErrorAsync(missing, HttpStatusCode.NotFound);
        AssertRateLimitHeaders(missing);
        using var missingSlug = await GetAsync(Client, "v1/voices/no-such-voice", Admin);
        await AssertErrorAsync(missingSlug, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Verify_describes_a_valid_key_sent_either_way()
    {
        var issued = await fixture.Store.CreateKeyAsync(scopes: "tts:write,usage:read");
        foreach (var bearer in new[] { false, true })
        {
            using var response = await GetAsync(Client, "v1/auth/verify", issued.Key, bearer);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            AssertRateLimitHeaders(response);
            var body = await ReadJsonAsync(response);
            Assert.True(body.GetProperty("valid").GetBoolean());
            Assert.Equal(issued.Id, body.GetProperty("api_key_id").GetGuid());
            Assert.Equal("test", body.GetProperty("api_key_name").GetString());
            Assert.Equal(issued.TenantId, body.GetProperty("tenant_id").GetGuid());
            Assert.Equal(["tts:write", "usage:read"], body.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()!).ToArray());
        }
    }

    [Fact]
    public async Task Missing_malformed_and_unknown_keys_are_401()
    {
        using (var none = await GetAsync(Client, "v1/voices", null)) await AssertErrorAsync(none, HttpStatusCode.Unauthorized);
        using (var garbage = await GetAsync(Client, "v1/voices", "not-a-key")) await AssertErrorAsync(garbage, HttpStatusCode.Unauthorized);
        using (var unknown = await GetAsync(Client, "v1/voices", ApiKeyFormat.Generate(), bearer: true)) await AssertErrorAsync(unknown, HttpStatusCode.Unauthorized);
        using var wrongScheme = new HttpRequestMessage(HttpMethod.Get, "v1/voices");
        wrongScheme.Headers.TryAddWithoutValidation("Authorization", "Basic " + Convert.ToBase64String(Encoding.ASCII.GetBytes("a:b")));
        using (var basic = await Client.SendAsync(wrongScheme)) await AssertErrorAsync(basic, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Revoked_and_suspended_keys_are_403_saying_why()
    {
        // Expiry, which needs time to pass: FakeClockApiTests.
        var revoked = await fixture.Store.CreateKeyAsync();
        var suspended = await fixture.Store.CreateKeyAsync();
        await fixture.Store.Keys.RevokeAsync(revoked.Id);
        await fixture.Store.Keys.SuspendAsync(suspended.Id);

        using (var r = await GetAsync(Client, "v1/auth/verify", revoked.Key)) Assert.Contains("revoked", await AssertErrorAsync(r, HttpStatusCode.Forbidden));
        using (var s = await GetAsync(Client, "v1/auth/verify", suspended.Key)) Assert.Contains("suspended", await AssertErrorAsync(s, HttpStatusCode.Forbidden));
    }

    [Fact]
    public async Task A_missing_scope_is_403_naming_the_scope()
    {
        var readOnly = await fixture.Store.CreateKeyAsync(scopes: "voices:read");
        using (var tts = await TtsAsync(Client, readOnly.Key, $$"""{"text":"{{Sentence}}","voice_id":"emily-en-us"}"""))
        {
            Assert.Contains("tts:write", await AssertErrorAsync(tts, HttpStatusCode.Forbidden));
            AssertRateLimitHeaders(tts);
        }

        using (var usage = await GetAsync(Client, "v1/usage", readOnly.Key)) Assert.Contains("usage:read", await AssertErrorAsync(usage, HttpStatusCode.Forbidden));
        using (var voices = await GetAsync(Client, "v1/voices", readOnly.Key)) Assert.Equal(HttpStatusCode.OK, voices.StatusCode);
        var ttsOnly = await fixture.Store.CreateKeyAsync(scopes: "tts:write");
        using (var list = await GetAsync(Client, "v1/voices", ttsOnly.Key)) Assert.Contains("voices:read", await AssertErrorAsync(list, HttpStatusCode.Forbidden));
    }

    [Theory]
    [InlineData("wav")]
    [InlineData("mp3")]
    public async Task Tts_streams_decodable_speech_in_self_describing_formats(string format)
    {
        using var response = await TtsAsync(Client, Admin, $$"""{"text":"{{Sentence}}","voice_id":"emily-en-us","format":"{{format}}"}""");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        AssertTtsHeaders(response, format == "wav" ? "audio/wav" : "audio/mpeg", format);
        var audio = await ServerAudio.AnalyzeAsync(await response.Content.ReadAsByteArrayAsync(), format);
        Assert.InRange(audio.SampleRate, 8000, 48000);
        AssertPlausibleSpeech(audio);
    }

    [Theory]
    [InlineData("pcm16", null, "raw", 24000, "audio/L16; rate=24000; channels=1")]
    [InlineData("pcm16", 16000, "raw", 16000, "audio/L16; rate=16000; channels=1")]
    [InlineData("ulaw", null, "ul", 8000, "audio/basic")]
    public async Task Tts_streams_headerless_audio_at_the_promised_rate(string format, int? rate, string soxType, int expectedRate, string contentType)
    {
        var rateField = rate is null ? "" : $",\"sample_rate\":{rate}";
        using var response = await TtsAsync(Client, Admin, $$"""{"text":"{{Sentence}}","voice_id":"sophia-en-gb","format":"{{format}}"{{rateField}}}""");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(contentType, response.Content.Headers.ContentType!.ToString());
        AssertTtsHeaders(response, null, format);
        AssertPlausibleSpeech(await ServerAudio.AnalyzeRawAsync(await response.Content.ReadAsByteArrayAsync(), soxType, expectedRate));
    }

    [Fact]
    public async Task Tts_speed_changes_duration_but_keeps_speech()
    {
        async Task<double> Seconds(double speed)
        {
            using var response = await TtsAsync(Client, Admin, $$"""{"text":"{{Sentence}}","voice_id":"emily-en-us","format":"pcm16","speed":{{speed}}}""");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var stats = await ServerAudio.AnalyzeRawAsync(await response.Content.ReadAsByteArrayAsync(), "raw", 24000);
            AssertPlausibleSpeech(stats);
            return stats.Seconds;
        }

        var normal = await Seconds(1.0);
        var fast = await Seconds(2.0);
        Assert.InRange(fast / normal, 0.35, 0.75);
    }

    [Theory]
    [InlineData("""{"voice_id":"emily-en-us"}""", "text")]
    [InlineData("""{"text":"Hi"}""", "voice_id")]
    [InlineData("""{"text":"","voice_id":"emily-en-us"}""", "text")]
    [InlineData("""{"text":42,"voice_id":"emily-en-us"}""", "text")]
    [InlineData("""{"text":"Hi","voice_id":"emily-en-us","format":"aiff"}""", "format")]
    [InlineData("""{"text":"Hi","voice_id":"emily-en-us","speed":2.5}""", "speed")]
    [InlineData("""{"text":"Hi","voice_id":"emily-en-us","speed":"fast"}""", "speed")]
    [InlineData("""{"text":"Hi","voice_id":"emily-en-us","seed":1.5}""", "seed")]
    [InlineData("""{"text":"Hi","voice_id":"emily-en-us","sample_rate":1000}""", "sample_rate")]
    [InlineData("""{"text":"Hi","voice_id":"emily-en-us","format":"mp3","sample_rate":44000}""", "44000")]
    [InlineData("""{"text":"Hi",""", "JSON")]
    [InlineData("""[1,2]""", "object")]
    public async Task Tts_rejects_invalid_input_with_400(string body, string mentioned)
    {
        using var response = await TtsAsync(Client, Admin, body);
        Assert.Contains(mentioned, await AssertErrorAsync(response, HttpStatusCode.BadRequest));
        AssertRateLimitHeaders(response);
    }

    [Fact]
    public async Task Tts_rejects_text_over_the_limit_and_accepts_it_at_the_limit()
    {
        using (var tooLong = await TtsAsync(Client, Admin, $$"""{"text":"{{new string('a', 1201)}}","voice_id":"emily-en-us","format":"ulaw"}"""))
            Assert.Contains("1200", await AssertErrorAsync(tooLong, HttpStatusCode.BadRequest));
        var words = string.Concat(Enumerable.Repeat("word ", 240));
        using var atLimit = await TtsAsync(Client, Admin, $$"""{"text":"{{words}}","voice_id":"emily-en-us","format":"ulaw"}""");
        Assert.Equal(HttpStatusCode.OK, atLimit.StatusCode);
        Assert.Equal("1200", Header(atLimit, "X-Text-Length"));
    }

    [Fact]
    public async Task Tts_answers_404_413_415_and_405_as_json()
    {
        using (var voice = await TtsAsync(Client, Admin, """{"text":"Hi","voice_id":"nobody-en-us"}""")) await AssertErrorAsync(voice, HttpStatusCode.NotFound);
        using (var big = await SendAsync(Client, HttpMethod.Post, "v1/tts", Admin, Json($$"""{"text":"{{new string('a', 70_000)}}","voice_id":"emily-en-us"}""")))
            await AssertErrorAsync(big, HttpStatusCode.RequestEntityTooLarge);
        using (var plain = await SendAsync(Client, HttpMethod.Post, "v1/tts", Admin, new StringContent("""{"text":"Hi","voice_id":"emily-en-us"}""", Encoding.UTF8, "text/plain")))
            await AssertErrorAsync(plain, HttpStatusCode.UnsupportedMediaType);
        using (var get = await GetAsync(Client, "v1/tts", Admin)) await AssertErrorAsync(get, HttpStatusCode.MethodNotAllowed);
        using (var unknown = await GetAsync(Client, "no/such/route", null)) await AssertErrorAsync(unknown, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Usage_validates_days_and_reports_the_callers_own_requests()
    {
        foreach (var days in new[] { "0", "91", "abc", "-1" })
        {
            using var bad = await GetAsync(Client, $"v1/usage?days={days}", Admin);
            await AssertErrorAsync(bad, HttpStatusCode.BadRequest);
        }

        var key = await fixture.Store.CreateKeyAsync();
        // Unique text: a rendering left in the shared test Redis by an earlier run of the same build would be a hit,
        // metered with no synthesis latency.
        var text = $"Usage check {Guid.NewGuid():N}.";
        using (var tts = await TtsAsync(Client, key.Key, $$"""{"text":"{{text}}","voice_id":"emily-en-us","format":"ulaw"}"""))
        {
            Assert.Equal(HttpStatusCode.OK, tts.StatusCode);
            await tts.Content.ReadAsByteArrayAsync();
        }

        var rows = await WaitForUsageAsync(key.Key, requests: 1);
        var today = rows.Single();
        Assert.Equal(DateTime.UtcNow.ToString("yyyy-MM-dd"), today.GetProperty("day").GetString());
        Assert.Equal(text.Length, today.GetProperty("characters").GetInt64());
        Assert.True(today.GetProperty("avg_latency_ms").GetDouble() > 0);
    }

    [Fact]
    public async Task Per_key_limits_refuse_with_429_retry_after_and_the_seeds_message()
    {
        await RedisWindowHeadroomFor(TimeSpan.FromSeconds(10));
        var key = await fixture.Store.CreateKeyAsync(perMinute: 3);
        var before = await MetricAsync(Client, "api_key_rate_limit_exceeded_total{window=\"minute\"}");
        for (var i = 0; i < 3; i++)
        {
            using var ok = await GetAsync(Client, "v1/auth/verify", key.Key);
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            Assert.Equal("3", Header(ok, "X-RateLimit-Limit"));
            Assert.Equal((2 - i).ToString(), Header(ok, "X-RateLimit-Remaining"));
        }

        using var refused = await GetAsync(Client, "v1/auth/verify", key.Key);
        Assert.Equal("Rate limit exceeded: 3 requests per minute", await AssertErrorAsync(refused, HttpStatusCode.TooManyRequests));
        Assert.InRange(int.Parse(Header(refused, "Retry-After")), 1, 60);
        Assert.Equal("0", Header(refused, "X-RateLimit-Remaining"));
        Assert.Equal(before + 1, await MetricAsync(Client, "api_key_rate_limit_exceeded_total{window=\"minute\"}"));
    }

    [Fact]
    public async Task Metrics_are_prometheus_text_with_the_seeds_names_and_count_each_request()
    {
        // Counters and histogram counts that one synthesis (text never cached before) must move by exactly one.
        string[] moved =
        [
            "tts_requests_total{voice=\"emily-en-us\",format=\"ulaw\"}", "http_requests_total{method=\"POST\",endpoint=\"/v1/tts\",status=\"200\"}",
            "tts_generation_duration_seconds_count", "tts_time_to_first_audio_seconds_count",
        ];
        var before = new Dictionary<string, double>();
        foreach (var series in moved) before[series] = await MetricAsync(Client, series);
        using (var tts = await TtsAsync(Client, Admin, $$"""{"text":"Metrics {{Guid.NewGuid():N}}.","voice_id":"emily-en-us","format":"ulaw"}"""))
        {
            Assert.Equal(HttpStatusCode.OK, tts.StatusCode);
            await tts.Content.ReadAsByteArrayAsync();
        }

        // The request is counted as it ends, which may be just after its last byte reached the client.
        foreach (var series in moved)
            Assert.Equal(before[series] + 1, await Tts.TtsTestHttp.WaitForMetricAsync(Client, series, before[series] + 1, TimeSpan.FromSeconds(10)));
        var text = await Client.GetStringAsync("metrics");
        foreach (var name in new[]
                 {
                     "http_requests_total{", "tts_requests_total{voice=\"emily-en-us\",format=\"ulaw\"}", "tts_generation_duration_seconds_bucket",
                     "# TYPE api_key_rate_limit_exceeded_total counter", "system_cpu_percent ", "system_memory_percent ",
                     "tts_engine_queue_depth ", "tts_engine_busy_workers ", "tts_engine_worker_restarts ", "tts_time_to_first_audio_seconds_bucket",
                 })
            Assert.Contains(name, text);
    }

    [Fact]
    public async Task Cors_answers_preflights_and_honours_a_keys_allowed_origins()
    {
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "v1/tts");
        preflight.Headers.Add("Origin", "https://app.example.com");
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        using (var answer = await Client.SendAsync(preflight))
        {
            Assert.Equal(HttpStatusCode.NoContent, answer.StatusCode);
            Assert.Equal("https://app.example.com", Header(answer, "Access-Control-Allow-Origin"));
            Assert.Contains("x-api-key", Header(answer, "Access-Control-Allow-Headers"));
        }

        var key = await fixture.Store.CreateKeyAsync(origins: ["https://app.example.com"]);
        async Task<HttpResponseMessage> FromOrigin(string origin)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, "v1/auth/verify");
            request.Headers.Add("x-api-key", key.Key);
            request.Headers.Add("Origin", origin);
            return await Client.SendAsync(request);
        }

        using (var allowed = await FromOrigin("https://app.example.com"))
        {
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
            Assert.Equal("https://app.example.com", Header(allowed, "Access-Control-Allow-Origin"));
        }

        using var other = await FromOrigin("https://evil.example.net");
        await AssertErrorAsync(other, HttpStatusCode.Forbidden);
    }

    private Task RedisWindowHeadroomFor(TimeSpan needed) =>
        Tests.RateLimiting.RedisWindowHeadroom.EnsureMinuteHeadroomAsync(fixture.RedisFixture.AdminServer, needed);

    private async Task<List<System.Text.Json.JsonElement>> WaitForUsageAsync(string key, long requests)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            using var response = await GetAsync(Client, "v1/usage?days=1", key);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var rows = (await ReadJsonAsync(response)).EnumerateArray().ToList();
            if (rows.Sum(r => r.GetProperty("requests").GetInt64()) >= requests || DateTime.UtcNow > deadline) return rows;
            await Task.Delay(200);
        }
    }

    private static void AssertTtsHeaders(HttpResponseMessage response, string? mediaType, string format)
    {
        if (mediaType is not null) Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        Assert.True(Guid.TryParse(Header(response, "X-Voice-ID"), out _));
        Assert.Equal(Sentence.Length.ToString(), Header(response, "X-Text-Length"));
        Assert.False(string.IsNullOrEmpty(Header(response, "X-Request-ID")));
        Assert.Contains("filename=", Header(response, "Content-Disposition"));
        AssertRateLimitHeaders(response);
        _ = format;
    }

    private static void AssertPlausibleSpeech(ServerAudio.Stats audio)
    {
        // One short sentence: about a second or two of speech, and clearly not silence.
        Assert.InRange(audio.Seconds, 0.8, 8.0);
        Assert.True(audio.RmsAmplitude > 0.01, $"RMS {audio.RmsAmplitude} looks silent");
    }
}
