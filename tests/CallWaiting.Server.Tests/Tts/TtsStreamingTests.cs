using System.Net;
using System.Text.Json;
using CallWaiting.Server.Tests.Infrastructure;
using Dapper;
using static CallWaiting.Server.Tests.Api.ApiTestHttp;
using static CallWaiting.Server.Tests.Tts.TtsTestHttp;

namespace CallWaiting.Server.Tests.Tts;

/// <summary>/v1/tts streaming control, output control and disconnects against one real server (PostgreSQL, Redis, engine workers), decoded by sox.</summary>
[Collection(TtsServerCollection.Name)]
public sealed class TtsStreamingTests(ServerFixture fixture)
{
    private const string Sentence = "Thank you for calling. Your call is important to us.";
    private const string BusyWorkers = "tts_engine_busy_workers";
    private HttpClient Client => fixture.Server.Client;
    private string Admin => fixture.Server.BootstrapKey;

    [Fact]
    public async Task Stream_false_sends_one_complete_file_and_stream_true_is_chunked_with_the_same_audio()
    {
        // flite's voice is 16 kHz: asking for that rate explicitly is another cache key (two misses) for byte-identical audio.
        var text = $"Please hold, caller number {Random.Shared.Next(1000, 9999)}.";
        using var streamed = await PostAsync(Client, "v1/tts", Admin, $$"""{"text":"{{text}}","voice_id":"emily-en-us","stream":true}""", headersOnly: true);
        Assert.Equal(HttpStatusCode.OK, streamed.StatusCode);
        Assert.True(streamed.Headers.TransferEncodingChunked);
        Assert.Null(streamed.Content.Headers.ContentLength);
        var streamedBytes = await streamed.Content.ReadAsByteArrayAsync();

        using var whole = await PostAsync(Client, "v1/tts", Admin, $$"""{"text":"{{text}}","voice_id":"emily-en-us","stream":false,"sample_rate":16000}""", headersOnly: true);
        Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
        Assert.NotEqual(true, whole.Headers.TransferEncodingChunked);
        var wholeBytes = await whole.Content.ReadAsByteArrayAsync();
        Assert.Equal(wholeBytes.Length, whole.Content.Headers.ContentLength);
        Assert.Equal("MISS", Header(streamed, "X-Cache"));
        Assert.Equal("MISS", Header(whole, "X-Cache"));

        // The same audio; only the whole file's header knows its lengths (a streamed header cannot).
        Assert.Equal(streamedBytes.Length, wholeBytes.Length);
        Assert.Equal(streamedBytes.AsSpan(44).ToArray(), wholeBytes.AsSpan(44).ToArray());
        Assert.Equal(uint.MaxValue, BitConverter.ToUInt32(streamedBytes, 40));
        Assert.Equal(wholeBytes.Length - 8, BitConverter.ToInt32(wholeBytes, 4));
        Assert.Equal(wholeBytes.Length - 44, BitConverter.ToInt32(wholeBytes, 40));
        Assert.True((await ServerAudio.AnalyzeAsync(wholeBytes, "wav")).RmsAmplitude > 0.01);

        // A cached answer keeps each shape: stream:false is a whole file again, a streamed request the streamed bytes.
        using var wholeHit = await PostAsync(Client, "v1/tts", Admin, $$"""{"text":"{{text}}","voice_id":"emily-en-us","stream":false,"sample_rate":16000}""");
        Assert.Equal("HIT", Header(wholeHit, "X-Cache"));
        Assert.Equal(wholeBytes, await wholeHit.Content.ReadAsByteArrayAsync());
        using var streamedHit = await PostAsync(Client, "v1/tts", Admin, $$"""{"text":"{{text}}","voice_id":"emily-en-us","stream":true}""");
        Assert.Equal("HIT", Header(streamedHit, "X-Cache"));
        Assert.Equal(streamedBytes, await streamedHit.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Long_text_is_chunked_when_stream_is_absent()
    {
        using var response = await PostAsync(Client, "v1/tts", Admin, $$"""{"text":"{{LongText(400)}}","voice_id":"emily-en-us","format":"ulaw"}""", headersOnly: true);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.TransferEncodingChunked);
        var audio = await TtsTestAudio.DecodeAsync(await response.Content.ReadAsByteArrayAsync(), "ulaw", 8000);
        Assert.True(audio.Seconds > 15, $"400 characters gave only {audio.Seconds} s");
    }

    [Theory]
    [InlineData("ulaw", null, 8000, "audio/basic")]
    [InlineData("alaw", null, 8000, "audio/PCMA; rate=8000")]
    [InlineData("ulaw", 16000, 16000, "audio/PCMU; rate=16000")]
    [InlineData("opus", null, 48000, "audio/ogg; codecs=opus")]
    [InlineData("opus", 16000, 16000, "audio/ogg; codecs=opus")]
    [InlineData("flac", 22050, 22050, "audio/flac")]
    [InlineData("wav", 44100, 44100, "audio/wav")]
    [InlineData("mp3", 24000, 24000, "audio/mpeg")]
    public async Task Every_format_decodes_at_the_asked_rate_with_the_right_length(string format, int? rate, int expectedRate, string contentType)
    {
        var reference = await ReferenceSecondsAsync();
        var rateField = rate is null ? "" : $",\"sample_rate\":{rate}";
        var (status, _, body, headers) = await SynthesizeAsync(Client, Admin, $$"""{"text":"{{Sentence}}","voice_id":"emily-en-us","format":"{{format}}"{{rateField}}}""");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(contentType, headers.ContentType!.ToString());
        var audio = await TtsTestAudio.DecodeAsync(body, format, expectedRate);
        Assert.Equal(expectedRate, audio.SampleRate);
        AssertSameLength(reference, audio.Seconds);
        Assert.True(audio.RmsAmplitude > 0.01, $"RMS {audio.RmsAmplitude} looks silent");
    }

    [Theory]
    [InlineData("mp3_22050_32", "mp3", 22050, "32.0k")]
    [InlineData("mp3_44100_128", "mp3", 44100, "128k")]
    [InlineData("pcm_8000", "pcm16", 8000, null)]
    [InlineData("pcm_16000", "pcm16", 16000, null)]
    [InlineData("pcm_22050", "pcm16", 22050, null)]
    [InlineData("pcm_44100", "pcm16", 44100, null)]
    [InlineData("pcm_48000", "pcm16", 48000, null)]
    [InlineData("ulaw_8000", "ulaw", 8000, null)]
    [InlineData("alaw_8000", "alaw", 8000, null)]
    [InlineData("opus_48000_64", "opus", 48000, null)]
    public async Task ElevenLabs_output_format_names_set_codec_rate_and_bitrate(string outputFormat, string format, int rate, string? mp3Bitrate)
    {
        var reference = await ReferenceSecondsAsync();
        var (status, _, body, _) = await SynthesizeAsync(Client, Admin, $$"""{"text":"{{Sentence}}","voice_id":"emily-en-us","output_format":"{{outputFormat}}"}""");
        Assert.Equal(HttpStatusCode.OK, status);
        var audio = await TtsTestAudio.DecodeAsync(body, format, rate);
        Assert.Equal(rate, audio.SampleRate);
        AssertSameLength(reference, audio.Seconds);
        Assert.True(audio.RmsAmplitude > 0.01);
        if (mp3Bitrate is not null) Assert.Equal(mp3Bitrate, await TtsTestAudio.Mp3BitrateAsync(body));
    }

    [Fact]
    public async Task Output_format_agrees_with_a_matching_format_and_rate()
    {
        var (status, _, body, headers) = await SynthesizeAsync(Client, Admin, $$"""{"text":"{{Sentence}}","voice_id":"emily-en-us","output_format":"pcm_16000","format":"pcm16","sample_rate":16000}""");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("audio/L16; rate=16000; channels=1", headers.ContentType!.ToString());
        Assert.True((await TtsTestAudio.DecodeAsync(body, "pcm16", 16000)).RmsAmplitude > 0.01);
    }

    [Fact]
    public async Task Ssml_is_read_with_the_flag_or_a_speak_root()
    {
        async Task<double> Seconds(string json)
        {
            var (status, _, body, _) = await SynthesizeAsync(Client, Admin, json);
            Assert.Equal(HttpStatusCode.OK, status);
            return (await TtsTestAudio.DecodeAsync(body, "pcm16", 24000)).Seconds;
        }

        var plain = await Seconds("""{"text":"Hello there. Goodbye.","voice_id":"emily-en-us","format":"pcm16"}""");
        var flagged = await Seconds("""{"text":"Hello there. <break time=\"1500ms\"/> Goodbye.","voice_id":"emily-en-us","format":"pcm16","ssml":true}""");
        var rooted = await Seconds("""{"text":"<speak>Hello there. <break time=\"1500ms\"/> Goodbye.</speak>","voice_id":"emily-en-us","format":"pcm16"}""");
        Assert.InRange(flagged - plain, 1.2, 2.0);
        Assert.InRange(rooted - plain, 1.2, 2.0);

        using var malformed = await PostAsync(Client, "v1/tts", Admin, """{"text":"<speak>Hello <break time=\"1s\"></speak>","voice_id":"emily-en-us"}""");
        await AssertErrorAsync(malformed, HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData("""{"text":"Hi","voice_id":"emily-en-us","output_format":"mp3_44100"}""", "output_format")]
    [InlineData("""{"text":"Hi","voice_id":"emily-en-us","output_format":"wav_44100"}""", "output_format")]
    [InlineData("""{"text":"Hi","voice_id":"emily-en-us","output_format":"pcm_16000_32"}""", "output_format")]
    [InlineData("""{"text":"Hi","voice_id":"emily-en-us","output_format":"opus_44100_64"}""", "output_format")]
    [InlineData("""{"text":"Hi","voice_id":"emily-en-us","output_format":"mp3_44100_999"}""", "output_format")]
    [InlineData("""{"text":"Hi","voice_id":"emily-en-us","output_format":"MP3_44100_128"}""", "output_format")]
    [InlineData("""{"text":"Hi","voice_id":"emily-en-us","output_format":42}""", "output_format")]
    [InlineData("""{"text":"Hi","voice_id":"emily-en-us","output_format":"mp3_8000_320"}""", "mp3")]
    [InlineData("""{"text":"Hi","voice_id":"emily-en-us","output_format":"mp3_44100_128","format":"wav"}""", "conflict")]
    [InlineData("""{"text":"Hi","voice_id":"emily-en-us","output_format":"pcm_16000","sample_rate":24000}""", "conflict")]
    [InlineData("""{"text":"Hi","voice_id":"emily-en-us","stream":"yes"}""", "stream")]
    [InlineData("""{"text":"Hi","voice_id":"emily-en-us","ssml":1}""", "ssml")]
    [InlineData("""{"text":"Hi","voice_id":"emily-en-us","format":"opus","sample_rate":44100}""", "44100")]
    [InlineData("""{"text":"Hi","voice_id":"emily-en-us","sample_rate":96000}""", "sample_rate")]
    public async Task Bad_output_control_is_400_naming_the_field(string body, string mentioned)
    {
        using var response = await PostAsync(Client, "v1/tts", Admin, body);
        Assert.Contains(mentioned, await AssertErrorAsync(response, HttpStatusCode.BadRequest), StringComparison.OrdinalIgnoreCase);
    }

    // Every streaming wire (bare audio, NDJSON, OpenAI's SSE) reads the same audio source, which meters what was sent.
    [Theory]
    [InlineData("v1/tts", """{"text":"TEXT","voice_id":"emily-en-us","format":"pcm16","sample_rate":48000,"speed":0.5}""")]
    [InlineData("v1/tts/stream-with-timestamps", """{"text":"TEXT","voice_id":"emily-en-us","format":"pcm16","sample_rate":48000,"speed":0.5}""")]
    [InlineData("v1/audio/speech", """{"model":"tts-1","input":"TEXT","voice":"emily-en-us","response_format":"pcm","speed":0.5,"stream_format":"sse"}""")]
    public async Task A_client_that_leaves_mid_stream_frees_its_worker_at_once_and_pays_for_what_was_sent(string path, string request)
    {
        var key = await fixture.Store.CreateKeyAsync();
        var text = LongText(1150);
        // No draining on dispose: the client really goes away instead of reading the rest to reuse the connection.
        using var client = new HttpClient(new SocketsHttpHandler { MaxResponseDrainSize = 0 }) { BaseAddress = fixture.Server.BaseAddress };
        var response = await PostAsync(client, path, key.Key, request.Replace("TEXT", text, StringComparison.Ordinal), headersOnly: true);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var stream = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[4096];
        var read = 0;
        while (read < buffer.Length) read += await stream.ReadAsync(buffer.AsMemory(read));

        // Unread, the response backs up into the engine worker, which stays busy until the client leaves.
        Assert.Equal(1, await WaitForMetricAsync(Client, BusyWorkers, 1, TimeSpan.FromSeconds(10)));
        response.Dispose();
        Assert.Equal(0, await WaitForMetricAsync(Client, BusyWorkers, 0, TimeSpan.FromSeconds(3)));

        var (requests, characters, seconds) = await WaitForUsageAsync(key.Id);
        Assert.Equal(1, requests);
        Assert.Equal(text.Length, characters);
        Assert.InRange(seconds, 0.001, 60); // far less than the ~150 s the whole text would have been

        var (status, _, body, _) = await SynthesizeAsync(Client, Admin, """{"text":"Still serving.","voice_id":"emily-en-us","format":"ulaw","stream":true}""");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.NotEmpty(body);
    }

    [Theory]
    [InlineData("v1/tts", false)]
    [InlineData("v1/tts/with-timestamps", false)]
    [InlineData("v1/cache/prewarm", true)]
    public async Task A_client_that_leaves_before_the_first_byte_leaves_no_busy_worker(string path, bool prewarm)
    {
        for (var i = 0; i < 3; i++)
        {
            var prompt = $$"""{"text":"{{LongText(1150)}}","voice_id":"emily-en-us","stream":false}""";
            using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(30 + 60 * i));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
                PostAsync(Client, path, Admin, prewarm ? $$"""{"prompts":[{{prompt}}]}""" : prompt, cancellationToken: cts.Token));
        }
        Assert.Equal(0, await WaitForMetricAsync(Client, BusyWorkers, 0, TimeSpan.FromSeconds(3)));
    }

    [Fact]
    public async Task The_api_description_lists_the_new_endpoints_and_fields()
    {
        var document = await Client.GetStringAsync("openapi/v1.json");
        foreach (var expected in new[] { "\"/v1/tts/with-timestamps\"", "\"/v1/tts/stream-with-timestamps\"", "\"/v1/cache/prewarm\"", "\"output_format\"", "\"ssml\"", "\"stream\"", "\"start_ms\"", "application/x-ndjson" })
            Assert.Contains(expected, document);
        Assert.DoesNotContain("bitrate_kbps", document);
    }

    private async Task<double> ReferenceSecondsAsync()
    {
        var (status, _, body, _) = await SynthesizeAsync(Client, Admin, $$"""{"text":"{{Sentence}}","voice_id":"emily-en-us","format":"pcm16"}""");
        Assert.Equal(HttpStatusCode.OK, status);
        return (await TtsTestAudio.DecodeAsync(body, "pcm16", 24000)).Seconds;
    }

    // Within 2%, plus one codec frame of padding at most (an MP3 granule or Opus pre-skip is tens of milliseconds).
    private static void AssertSameLength(double expected, double actual) =>
        Assert.True(Math.Abs(actual - expected) <= expected * 0.02 + 0.06, $"expected {expected:0.###} s, decoded {actual:0.###} s");

    private async Task<(long Requests, long Characters, double Seconds)> WaitForUsageAsync(Guid keyId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            await using var connection = await fixture.Store.Database.OpenConnectionAsync();
            var rows = (await connection.QueryAsync<(long, long, double)>(
                "SELECT requests, characters, audio_seconds FROM usage_counters WHERE api_key_id = @keyId", new { keyId })).ToList();
            if (rows.Count > 0 || DateTime.UtcNow > deadline) return rows.Count > 0 ? rows[0] : default;
            await Task.Delay(200);
        }
    }
}
