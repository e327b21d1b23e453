using System.Net;
using System.Text.Json;
using CallWaiting.Server.Storage;
using CallWaiting.Server.Tests.Infrastructure;
using CallWaiting.Speech.Synthesis;
using static CallWaiting.Server.Tests.OpenAi.OpenAiTestHttp;

namespace CallWaiting.Server.Tests.OpenAi;

/// <summary>POST /v1/audio/speech, GET /v1/models and GET /v1/audio/voices over HTTP against one real server on PostgreSQL and Redis.</summary>
public sealed class OpenAiSpeechTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private HttpClient Client => fixture.Server.Client;
    private string Admin => fixture.Server.BootstrapKey;

    [Theory]
    [InlineData("mp3", "audio/mpeg", 24000)]
    [InlineData("wav", "audio/wav", 24000)]
    [InlineData("flac", "audio/flac", 24000)]
    [InlineData("pcm", "audio/L16", 24000)]
    [InlineData("opus", "audio/ogg", 48000)]
    public async Task Every_response_format_decodes_to_speech_at_openais_rate(string format, string mediaType, int rate)
    {
        using var response = await SpeechAsync(Client, Admin, Body(format: format));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(VoiceIds.FromSlug("emily-en-us").ToString(), Header(response, "X-Voice-ID"));
        Assert.Equal(Sentence.Length.ToString(), Header(response, "X-Text-Length"));
        Assert.EndsWith($".{(format == "pcm" ? "pcm" : format)}\"", Header(response, "Content-Disposition"));
        Assert.True(long.Parse(Header(response, "X-RateLimit-Remaining")) >= 0);

        var audio = await OpenAiAudio.AnalyzeAsync(await response.Content.ReadAsByteArrayAsync(), format);
        Assert.Equal(rate, audio.SampleRate);
        OpenAiAudio.AssertSpeech(audio);
    }

    [Fact]
    public async Task Mp3_is_the_default_format_and_x_api_key_works_as_well_as_bearer()
    {
        using var response = await SpeechAsync(Client, Admin, """{"model":"tts-1","input":"Hello there.","voice":"alloy"}""", bearer: false);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("audio/mpeg", response.Content.Headers.ContentType?.MediaType);
        OpenAiAudio.AssertSpeech(await OpenAiAudio.AnalyzeAsync(await response.Content.ReadAsByteArrayAsync(), "mp3"), minSeconds: 0.4);
    }

    [Fact]
    public async Task Sse_sends_openai_delta_events_whose_audio_equals_the_plain_response_then_done_with_usage()
    {
        // alloy speaks with flite, which is deterministic, so the two responses can be compared byte for byte.
        using var plain = await SpeechAsync(Client, Admin, Body(format: "pcm"));
        var expected = await plain.Content.ReadAsByteArrayAsync();

        using var response = await SpeechAsync(Client, Admin, Body(format: "pcm", extra: ""","stream_format":"sse","instructions":"Speak calmly." """));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var events = ParseSse(await response.Content.ReadAsStringAsync());

        Assert.True(events.Count >= 2, "at least one delta and the done event");
        var deltas = events[..^1];
        var audio = new List<byte>();
        foreach (var delta in deltas)
        {
            Assert.Equal(["type", "audio"], delta.EnumerateObject().Select(p => p.Name));
            Assert.Equal("speech.audio.delta", delta.GetProperty("type").GetString());
            audio.AddRange(Convert.FromBase64String(delta.GetProperty("audio").GetString()!));
        }
        Assert.Equal(expected, audio.ToArray());

        var done = events[^1];
        Assert.Equal(["type", "usage"], done.EnumerateObject().Select(p => p.Name));
        Assert.Equal("speech.audio.done", done.GetProperty("type").GetString());
        var usage = done.GetProperty("usage");
        var seconds = expected.Length / 2 / 24000.0;
        Assert.Equal(Sentence.Length, usage.GetProperty("input_tokens").GetInt64());
        Assert.Equal((long)Math.Ceiling(seconds / 0.05), usage.GetProperty("output_tokens").GetInt64());
        Assert.Equal(usage.GetProperty("input_tokens").GetInt64() + usage.GetProperty("output_tokens").GetInt64(), usage.GetProperty("total_tokens").GetInt64());
    }

    [Fact]
    public async Task Sse_mp3_deltas_join_into_a_playable_file()
    {
        using var response = await SpeechAsync(Client, Admin, Body(format: "mp3", extra: ""","stream_format":"sse" """));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var events = ParseSse(await response.Content.ReadAsStringAsync());
        var mp3 = events.Where(e => e.GetProperty("type").GetString() == "speech.audio.delta")
            .SelectMany(e => Convert.FromBase64String(e.GetProperty("audio").GetString()!)).ToArray();
        var audio = await OpenAiAudio.AnalyzeAsync(mp3, "mp3");
        Assert.Equal(24000, audio.SampleRate);
        OpenAiAudio.AssertSpeech(audio);
    }

    [Fact]
    public async Task Openai_voice_names_slugs_uuids_and_voice_objects_all_resolve()
    {
        var cases = new (string Voice, string Slug)[]
        {
            ("\"alloy\"", "emily-en-us"), ("\"ALLOY\"", "emily-en-us"), ("\"ash\"", "james-en-us"), ("\"fable\"", "sophia-en-gb"),
            ("\"ballad\"", "flite-awb"), ("\"echo\"", "flite-kal16"), ("\"nova\"", "espeak-en-us-f3"),
            ("\"james-en-us\"", "james-en-us"), ($"\"{VoiceIds.FromSlug("sophia-en-gb")}\"", "sophia-en-gb"), ("{\"id\":\"emily-en-us\"}", "emily-en-us"),
        };
        foreach (var (voice, slug) in cases)
        {
            using var response = await SpeechAsync(Client, Admin, $$"""{"model":"tts-1","input":"Hello.","voice":{{voice}},"response_format":"pcm"}""");
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{voice}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            Assert.Equal(VoiceIds.FromSlug(slug).ToString(), Header(response, "X-Voice-ID"));
            Assert.True((await OpenAiAudio.AnalyzeAsync(await response.Content.ReadAsByteArrayAsync(), "pcm")).RmsAmplitude > 0.01, voice);
        }

        using var unknown = await SpeechAsync(Client, Admin, Body(voice: "no-such-voice"));
        Assert.Contains("no-such-voice", (await AssertOpenAiErrorAsync(unknown, HttpStatusCode.NotFound, "voice_not_found", "voice")).GetProperty("message").GetString());
    }

    [Fact]
    public async Task Speeds_beyond_the_synthesizers_range_are_composed_with_a_second_tempo_stage()
    {
        var seconds = new Dictionary<double, double>();
        foreach (var speed in new[] { 0.25, 1.0, 4.0 })
        {
            using var response = await SpeechAsync(Client, Admin, Body(format: "wav", extra: $",\"speed\":{speed.ToString(System.Globalization.CultureInfo.InvariantCulture)}"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var audio = await OpenAiAudio.AnalyzeAsync(await response.Content.ReadAsByteArrayAsync(), "wav");
            Assert.True(audio.RmsAmplitude > 0.01);
            seconds[speed] = audio.Seconds;
        }

        // Duration scales with 1/speed; engines pace words a little differently at their extremes, hence the tolerance.
        Assert.InRange(seconds[0.25] / seconds[1.0], 3.2, 4.8);
        Assert.InRange(seconds[1.0] / seconds[4.0], 3.2, 4.8);

        foreach (var bad in new[] { "0.2", "4.5", "\"fast\"", "0" })
        {
            using var response = await SpeechAsync(Client, Admin, Body(extra: $",\"speed\":{bad}"));
            await AssertOpenAiErrorAsync(response, HttpStatusCode.BadRequest, "invalid_value", "speed");
        }
    }

    [Fact]
    public async Task Models_are_listed_in_openais_shape_and_every_listed_model_speaks()
    {
        using var list = await GetAsync(Client, "v1/models", Admin);
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        var body = await ReadJsonAsync(list);
        Assert.Equal("list", body.GetProperty("object").GetString());
        var models = body.GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(["tts-1", "tts-1-hd", "gpt-4o-mini-tts", "callwaiting-tts"], models.Select(m => m.GetProperty("id").GetString()));
        foreach (var model in models)
        {
            Assert.Equal(["id", "object", "created", "owned_by"], model.EnumerateObject().Select(p => p.Name));
            Assert.Equal("model", model.GetProperty("object").GetString());
            Assert.True(model.GetProperty("created").GetInt64() > 1_600_000_000);
            Assert.Equal("callwaiting", model.GetProperty("owned_by").GetString());

            var id = model.GetProperty("id").GetString()!;
            using var one = await GetAsync(Client, $"v1/models/{id}", Admin);
            Assert.Equal(HttpStatusCode.OK, one.StatusCode);
            Assert.Equal(model.GetRawText(), (await ReadJsonAsync(one)).GetRawText());
            using var speech = await SpeechAsync(Client, Admin, Body(model: id, input: "Hi."));
            Assert.Equal(HttpStatusCode.OK, speech.StatusCode);
        }

        using (var missing = await GetAsync(Client, "v1/models/whisper-1", Admin))
            await AssertOpenAiErrorAsync(missing, HttpStatusCode.NotFound, "model_not_found", "model");
        using var unknown = await SpeechAsync(Client, Admin, Body(model: "tts-2"));
        await AssertOpenAiErrorAsync(unknown, HttpStatusCode.NotFound, "model_not_found", "model");
    }

    [Fact]
    public async Task Invalid_bodies_get_openai_shaped_errors_naming_the_field()
    {
        var cases = new (string Json, string Code, string? Param)[]
        {
            ("""{"input":"Hi.","voice":"alloy"}""", "missing_required_parameter", "model"),
            ("""{"model":"tts-1","voice":"alloy"}""", "missing_required_parameter", "input"),
            ("""{"model":"tts-1","input":"Hi."}""", "missing_required_parameter", "voice"),
            ("""{"model":7,"input":"Hi.","voice":"alloy"}""", "invalid_type", "model"),
            ("""{"model":"tts-1","input":"  ","voice":"alloy"}""", "invalid_value", "input"),
            ("""{"model":"tts-1","input":"Hi.","voice":12}""", "invalid_value", "voice"),
            ("""{"model":"tts-1","input":"Hi.","voice":{"name":"alloy"}}""", "invalid_value", "voice"),
            ("""{"model":"tts-1","input":"Hi.","voice":"alloy","response_format":"aac"}""", "unsupported_value", "response_format"),
            ("""{"model":"tts-1","input":"Hi.","voice":"alloy","response_format":"ogg"}""", "invalid_value", "response_format"),
            ("""{"model":"tts-1","input":"Hi.","voice":"alloy","stream_format":"chunks"}""", "invalid_value", "stream_format"),
            ("""{"model":"tts-1","input":"Hi.","voice":"alloy","instructions":5}""", "invalid_type", "instructions"),
            ("""{"model":"tts-1","input":"Hi.","voice":"alloy" """, "invalid_json", null),
            ("""["model","tts-1"]""", "invalid_type", null),
            ($$"""{"model":"tts-1","input":"{{new string('a', 4097)}}","voice":"alloy"}""", "string_above_max_length", "input"),
        };
        foreach (var (json, code, param) in cases)
        {
            using var response = await SpeechAsync(Client, Admin, json);
            var error = await AssertOpenAiErrorAsync(response, HttpStatusCode.BadRequest, code, param);
            if (code == "unsupported_value") Assert.Contains("AAC encoder", error.GetProperty("message").GetString());
        }

        using (var request = new HttpRequestMessage(HttpMethod.Post, "v1/audio/speech") { Content = new StringContent("model=tts-1") })
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Admin);
            using var response = await Client.SendAsync(request);
            await AssertOpenAiErrorAsync(response, HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
        }

        using var huge = await SpeechAsync(Client, Admin, Body(input: new string('a', 70_000)));
        await AssertOpenAiErrorAsync(huge, HttpStatusCode.RequestEntityTooLarge, "payload_too_large");
    }

    [Fact]
    public async Task The_openapi_document_describes_the_routes_and_the_speech_body()
    {
        using var document = JsonDocument.Parse(await Client.GetStringAsync("openapi/v1.json"));
        var paths = document.RootElement.GetProperty("paths");
        foreach (var path in new[] { "/v1/audio/speech", "/v1/models", "/v1/models/{model}", "/v1/audio/voices" }) Assert.True(paths.TryGetProperty(path, out _), path);
        var body = paths.GetProperty("/v1/audio/speech").GetProperty("post").GetProperty("requestBody");
        Assert.True(body.GetProperty("required").GetBoolean());
        var json = body.GetProperty("content").GetProperty("application/json");
        Assert.Equal("alloy", json.GetProperty("example").GetProperty("voice").GetString());
        var schema = json.GetProperty("schema");
        if (schema.TryGetProperty("$ref", out var reference))
            schema = document.RootElement.GetProperty("components").GetProperty("schemas").GetProperty(reference.GetString()!.Split('/')[^1]);
        var properties = schema.GetProperty("properties");
        Assert.Equal(["model", "input", "voice"], schema.GetProperty("required").EnumerateArray().Select(r => r.GetString()));
        foreach (var field in new[] { "model", "input", "voice", "response_format", "speed", "instructions", "stream_format" })
            Assert.True(properties.TryGetProperty(field, out _), field);
    }

    [Fact]
    public async Task Input_may_be_as_long_as_openais_4096_characters_beyond_the_tts_limit()
    {
        var input = string.Concat(Enumerable.Repeat("Your call matters to us. ", 200))[..4096];
        using var response = await SpeechAsync(Client, Admin, Body(input: input), completion: HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("4096", Header(response, "X-Text-Length"));
        // The first audio is enough; leaving early cancels the rest of the synthesis.
        await using var stream = await response.Content.ReadAsStreamAsync();
        Assert.True(await stream.ReadAsync(new byte[4096]) > 0);
    }

    [Fact]
    public async Task Authentication_scope_and_rate_limit_refusals_are_openai_shaped_on_these_routes_only()
    {
        using (var none = await SpeechAsync(Client, null, Body())) await AssertOpenAiErrorAsync(none, HttpStatusCode.Unauthorized, "missing_api_key");
        using (var wrong = await SpeechAsync(Client, "cw_live_" + new string('A', 43), Body()))
            await AssertOpenAiErrorAsync(wrong, HttpStatusCode.Unauthorized, "invalid_api_key");
        using (var wrongModels = await GetAsync(Client, "v1/models", "not-a-key"))
            await AssertOpenAiErrorAsync(wrongModels, HttpStatusCode.Unauthorized, "invalid_api_key");

        var revoked = await fixture.Store.CreateKeyAsync();
        await fixture.Store.Keys.RevokeAsync(revoked.Id);
        using (var r = await SpeechAsync(Client, revoked.Key, Body())) await AssertOpenAiErrorAsync(r, HttpStatusCode.Forbidden, "api_key_revoked");

        var readOnly = await fixture.Store.CreateKeyAsync(scopes: "voices:read");
        using (var speech = await SpeechAsync(Client, readOnly.Key, Body()))
            Assert.Contains("tts:write", (await AssertOpenAiErrorAsync(speech, HttpStatusCode.Forbidden, "insufficient_scope")).GetProperty("message").GetString());
        using (var models = await GetAsync(Client, "v1/models", readOnly.Key)) Assert.Equal(HttpStatusCode.OK, models.StatusCode);
        var writeOnly = await fixture.Store.CreateKeyAsync(scopes: "tts:write");
        using (var voices = await GetAsync(Client, "v1/audio/voices", writeOnly.Key))
            await AssertOpenAiErrorAsync(voices, HttpStatusCode.Forbidden, "insufficient_scope");

        // The rest of /v1 keeps the contract's {"detail"} shape.
        using (var tts = await GetAsync(Client, "v1/voices", null))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, tts.StatusCode);
            Assert.True((await ReadJsonAsync(tts)).TryGetProperty("detail", out _));
        }

        await Tests.RateLimiting.RedisWindowHeadroom.EnsureMinuteHeadroomAsync(fixture.RedisFixture.AdminServer, TimeSpan.FromSeconds(20));
        var limited = await fixture.Store.CreateKeyAsync(perMinute: 2);
        for (var i = 0; i < 2; i++)
        {
            using var ok = await GetAsync(Client, "v1/models", limited.Key);
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }
        using var refused = await SpeechAsync(Client, limited.Key, Body());
        var error = await AssertOpenAiErrorAsync(refused, HttpStatusCode.TooManyRequests, "rate_limit_exceeded");
        Assert.Equal("Rate limit exceeded: 2 requests per minute", error.GetProperty("message").GetString());
        Assert.True(int.Parse(Header(refused, "Retry-After")) >= 1);
        Assert.Equal("0", Header(refused, "X-RateLimit-Remaining"));
    }

    [Fact]
    public async Task Each_speech_request_is_metered_once_and_refused_ones_not_at_all()
    {
        var key = await fixture.Store.CreateKeyAsync();
        using (var audio = await SpeechAsync(Client, key.Key, Body(input: "First request."))) Assert.Equal(HttpStatusCode.OK, audio.StatusCode);
        using (var sse = await SpeechAsync(Client, key.Key, Body(input: "Second one.", extra: ""","stream_format":"sse" """)))
        {
            Assert.Equal(HttpStatusCode.OK, sse.StatusCode);
            Assert.Contains("speech.audio.done", await sse.Content.ReadAsStringAsync());
        }
        using (var bad = await SpeechAsync(Client, key.Key, Body(input: "Refused.", extra: ""","speed":9"""))) Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);

        var deadline = DateTime.UtcNow.AddSeconds(15);
        List<JsonElement> rows;
        while (true)
        {
            using var usage = await GetAsync(Client, "v1/usage?days=1", key.Key);
            Assert.Equal(HttpStatusCode.OK, usage.StatusCode);
            rows = (await ReadJsonAsync(usage)).EnumerateArray().ToList();
            if (rows.Sum(r => r.GetProperty("requests").GetInt64()) >= 2 || DateTime.UtcNow > deadline) break;
            await Task.Delay(200);
        }
        Assert.Equal(2, rows.Sum(r => r.GetProperty("requests").GetInt64()));
        Assert.Equal("First request.".Length + "Second one.".Length, rows.Sum(r => r.GetProperty("characters").GetInt64()));
    }

    [Fact]
    public async Task Voices_list_openai_names_with_their_targets_then_catalog_and_the_tenants_private_voices()
    {
        var acme = await fixture.Store.Tenants.CreateAsync("Acme OpenAI", "acme-openai");
        await fixture.Store.Tenants.CreateAsync("Globex OpenAI", "globex-openai");
        var a = await fixture.Store.CreateKeyAsync("acme-openai");
        var b = await fixture.Store.CreateKeyAsync("globex-openai");
        var privateVoice = new StoredVoice(Guid.NewGuid(), "acme-openai-desk", acme.Id, "Acme Desk", "Acme's own voice.", "en-US", "male",
            "flite", "rms", null, "{}", StorageTime.Truncate(DateTimeOffset.UtcNow));
        Assert.True(await fixture.Store.Voices.TryCreateAsync(privateVoice));

        using var list = await GetAsync(Client, "v1/audio/voices", a.Key);
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        var body = await ReadJsonAsync(list);
        Assert.Equal("list", body.GetProperty("object").GetString());
        var voices = body.GetProperty("data").EnumerateArray().ToDictionary(v => v.GetProperty("id").GetString()!);
        foreach (var name in new[] { "alloy", "ash", "ballad", "coral", "echo", "fable", "nova", "onyx", "sage", "shimmer", "verse", "marin", "cedar" })
        {
            var alias = voices[name];
            var target = alias.GetProperty("maps_to").GetString()!;
            Assert.True(voices.ContainsKey(target), $"{name} maps to {target}, which is listed too");
            Assert.Equal(VoiceIds.FromSlug(target), alias.GetProperty("voice_id").GetGuid());
        }
        Assert.Equal("emily-en-us", voices["alloy"].GetProperty("maps_to").GetString());
        foreach (var voice in voices.Values)
        {
            Assert.Equal("voice", voice.GetProperty("object").GetString());
            foreach (var field in new[] { "name", "language", "gender" }) Assert.False(string.IsNullOrEmpty(voice.GetProperty(field).GetString()));
        }
        var emily = voices["emily-en-us"];
        Assert.Equal(JsonValueKind.Null, emily.GetProperty("maps_to").ValueKind);
        Assert.Equal("en-US", emily.GetProperty("language").GetString());
        Assert.True(emily.GetProperty("is_public").GetBoolean());
        var mine = voices["acme-openai-desk"];
        Assert.False(mine.GetProperty("is_public").GetBoolean());
        Assert.Equal(privateVoice.Id, mine.GetProperty("voice_id").GetGuid());

        using (var listB = await GetAsync(Client, "v1/audio/voices", b.Key))
            Assert.DoesNotContain((await ReadJsonAsync(listB)).GetProperty("data").EnumerateArray(), v => v.GetProperty("id").GetString() == "acme-openai-desk");

        using (var speakA = await SpeechAsync(Client, a.Key, Body(voice: "acme-openai-desk")))
        {
            Assert.Equal(HttpStatusCode.OK, speakA.StatusCode);
            Assert.Equal(privateVoice.Id.ToString(), Header(speakA, "X-Voice-ID"));
        }
        using var speakB = await SpeechAsync(Client, b.Key, Body(voice: "acme-openai-desk"));
        await AssertOpenAiErrorAsync(speakB, HttpStatusCode.NotFound, "voice_not_found", "voice");
    }
}
