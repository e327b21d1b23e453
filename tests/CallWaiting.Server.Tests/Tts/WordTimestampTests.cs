using System.Net;
using System.Text.Json;
using CallWaiting.Server.Tests.Infrastructure;
using static CallWaiting.Server.Tests.Api.ApiTestHttp;
using static CallWaiting.Server.Tests.Tts.TtsTestHttp;

namespace CallWaiting.Server.Tests.Tts;

/// <summary>Word timestamps from flite and espeak-ng through POST /v1/tts/with-timestamps and its NDJSON stream, checked against the decoded audio.</summary>
[Collection(TtsServerCollection.Name)]
public sealed class WordTimestampTests(ServerFixture fixture)
{
    private const string Text = "The quick brown fox jumps over the lazy dog. Then it runs home quickly, because dinner is ready.";
    private static readonly string[] Names = ["Anna", "Brian", "Carol", "David", "Emma", "Frank", "Grace", "Henry", "Irene", "James", "Karen", "Laura", "Maria", "Nancy", "Oscar", "Peter"];
    private HttpClient Client => fixture.Server.Client;
    private string Admin => fixture.Server.BootstrapKey;

    [Theory]
    [InlineData("emily-en-us")]
    [InlineData("sophia-en-gb")]
    public async Task With_timestamps_returns_the_audio_and_every_word_in_order_inside_it(string voice)
    {
        using var response = await PostAsync(Client, "v1/tts/with-timestamps", Admin, $$"""{"text":"{{Text}}","voice_id":"{{voice}}","format":"wav"}""");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var body = await ReadJsonAsync(response);
        Assert.Equal("audio/wav", body.GetProperty("content_type").GetString());
        var durationMs = body.GetProperty("duration_ms").GetInt64();
        var wav = Convert.FromBase64String(body.GetProperty("audio_base64").GetString()!);
        Assert.Equal(wav.Length - 44, BitConverter.ToInt32(wav, 40)); // a complete file: the header knows its length
        var audio = await ServerAudio.AnalyzeAsync(wav, "wav");
        Assert.Equal(body.GetProperty("sample_rate").GetInt32(), audio.SampleRate);
        Assert.InRange(audio.Seconds * 1000, durationMs - 2, durationMs + 2);
        Assert.True(audio.RmsAmplitude > 0.01);

        AssertAligned(Words(body.GetProperty("words")), durationMs);
    }

    [Fact]
    public async Task The_ndjson_stream_carries_the_same_audio_as_tts_in_lines_with_their_words()
    {
        // "stream": true for /v1/tts (the timestamp endpoints ignore it): the lines carry the streamed form.
        // A text no earlier run rendered: a cache hit (Redis outlives a run) is one piece, not a stream of lines.
        var text = $"{Text} We will be with {string.Join(" and ", Random.Shared.GetItems(Names, 3))} shortly.";
        var json = $$"""{"text":"{{text}}","voice_id":"emily-en-us","format":"wav","stream":true}""";
        using var response = await PostAsync(Client, "v1/tts/stream-with-timestamps", Admin, json, headersOnly: true);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/x-ndjson", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.TransferEncodingChunked);
        Assert.Equal("MISS", Header(response, "X-Cache"));
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();

        Assert.True(lines.Count >= 3, $"only {lines.Count} lines");
        Assert.Equal("audio/wav", lines[0].GetProperty("content_type").GetString());
        Assert.True(lines[^1].GetProperty("done").GetBoolean());
        Assert.All(lines.SkipLast(1), l => Assert.False(l.TryGetProperty("done", out _)));
        var audio = lines.SelectMany(l => Convert.FromBase64String(l.GetProperty("audio_base64").GetString()!)).ToArray();
        var words = lines.SelectMany(l => Words(l.GetProperty("words"))).ToList();
        var durationMs = lines[^1].GetProperty("duration_ms").GetInt64();
        AssertAligned(words, durationMs, text);

        // flite is deterministic: the concatenated lines are exactly the file /v1/tts sends for the same body.
        var (status, _, whole, _) = await SynthesizeAsync(Client, Admin, json);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(whole, audio);
        var decoded = await ServerAudio.AnalyzeAsync(audio, "wav");
        Assert.InRange(decoded.Seconds * 1000, durationMs - 2, durationMs + 2);
    }

    [Fact]
    public async Task Timestamp_endpoints_validate_like_tts()
    {
        foreach (var path in new[] { "v1/tts/with-timestamps", "v1/tts/stream-with-timestamps" })
        {
            using var bad = await PostAsync(Client, path, Admin, """{"text":"Hi","voice_id":"emily-en-us","output_format":"mp3_1_2"}""");
            await AssertErrorAsync(bad, HttpStatusCode.BadRequest);
            using var missing = await PostAsync(Client, path, Admin, """{"text":"Hi","voice_id":"nobody-en-us"}""");
            await AssertErrorAsync(missing, HttpStatusCode.NotFound);
            var readOnly = await fixture.Store.CreateKeyAsync(scopes: "voices:read");
            using var forbidden = await PostAsync(Client, path, readOnly.Key, """{"text":"Hi","voice_id":"emily-en-us"}""");
            await AssertErrorAsync(forbidden, HttpStatusCode.Forbidden);
        }
    }

    private static List<(string Word, long Start, long End)> Words(JsonElement words) =>
        [.. words.EnumerateArray().Select(w => (w.GetProperty("word").GetString()!, w.GetProperty("start_ms").GetInt64(), w.GetProperty("end_ms").GetInt64()))];

    private static void AssertAligned(List<(string Word, long Start, long End)> words, long durationMs, string text = Text)
    {
        Assert.Equal(TextWords(text), words.Select(w => Letters(w.Word)).Where(w => w.Length > 0).ToArray());
        for (var i = 0; i < words.Count; i++)
        {
            Assert.InRange(words[i].Start, 0, durationMs - 1);
            Assert.InRange(words[i].End, words[i].Start, durationMs);
            if (i > 0) Assert.True(words[i].Start >= words[i - 1].Start, $"word {i} '{words[i].Word}' starts at {words[i].Start} before {words[i - 1].Start}");
        }
        // Real alignment spreads over the audio: the first word starts near the beginning, the last well past the middle.
        Assert.True(words[0].Start < durationMs / 5, $"first word at {words[0].Start} of {durationMs} ms");
        Assert.True(words[^1].Start > durationMs * 7 / 10, $"last word at {words[^1].Start} of {durationMs} ms");
    }

    private static string[] TextWords(string text) =>
        [.. text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(Letters).Where(w => w.Length > 0)];

    private static string Letters(string word) => new([.. word.ToLowerInvariant().Where(char.IsLetter)]);
}
