using System.Net;
using CallWaiting.Server.Tests.Infrastructure;
using CallWaiting.Server.Tests.OpenAi;
using static CallWaiting.Server.Tests.Api.ApiTestHttp;
using static CallWaiting.Server.Tests.Tts.TtsTestHttp;

namespace CallWaiting.Server.Tests.Tts;

/// <summary>
/// Whole files against streams: WAV answers are complete files (exact sizes, Content-Length) that Python's strict wave
/// module reads at their true length, unless a stream is asked for; long answers go through the disk spool.
/// </summary>
[Collection(TtsServerCollection.Name)]
public sealed class WholeFileAnswerTests(ServerFixture fixture)
{
    private HttpClient Client => fixture.Server.Client;
    private string Admin => fixture.Server.BootstrapKey;

    [Fact]
    public async Task Tts_wav_is_a_whole_file_by_default_and_a_stream_only_when_asked()
    {
        // About 8 s at 48 kHz (800 KB): past the spool's memory threshold, so the miss is spooled through a file.
        var text = $"Your call matters to us, caller {Random.Shared.Next(1000, 9999)}. Please stay on the line and an agent will be with you in a moment.";
        var json = $$"""{"text":"{{text}}","voice_id":"emily-en-us","format":"wav","sample_rate":48000}""";
        using var whole = await PostAsync(Client, "v1/tts", Admin, json, headersOnly: true);
        Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
        Assert.Equal("MISS", Header(whole, "X-Cache"));
        Assert.NotEqual(true, whole.Headers.TransferEncodingChunked);
        var file = await whole.Content.ReadAsByteArrayAsync();
        Assert.Equal(file.Length, whole.Content.Headers.ContentLength);
        Assert.True(file.Length > 300 * 1024, $"only {file.Length} bytes");
        var frames = await AssertCompleteWavAsync(file, 48000);

        using var streamed = await PostAsync(Client, "v1/tts", Admin, json.Replace("}", ",\"stream\":true}"), headersOnly: true);
        Assert.Equal("HIT", Header(streamed, "X-Cache"));
        var stream = await streamed.Content.ReadAsByteArrayAsync();
        Assert.Equal(uint.MaxValue, BitConverter.ToUInt32(stream, 40)); // as streamed: "length unknown"
        Assert.Equal(file.AsSpan(44).ToArray(), stream.AsSpan(44).ToArray());
        var wave = await ServerAudio.WaveFramesAsync(stream);
        Assert.Equal(frames, wave.DecodedSamples);
        Assert.True(wave.HeaderFrames > 100 * frames, $"a streamed header read as {wave.HeaderFrames} frames");
    }

    [Fact]
    public async Task A_streamed_wav_miss_is_chunked_and_the_whole_file_hit_has_exact_sizes()
    {
        var json = $$"""{"text":"Press {{Random.Shared.Next(1000, 9999)}} to hear this again.","voice_id":"emily-en-us","format":"wav","stream":true}""";
        using var streamed = await PostAsync(Client, "v1/tts", Admin, json, headersOnly: true);
        Assert.Equal("MISS", Header(streamed, "X-Cache"));
        Assert.True(streamed.Headers.TransferEncodingChunked);
        Assert.Null(streamed.Content.Headers.ContentLength);
        var stream = await streamed.Content.ReadAsByteArrayAsync();
        Assert.Equal(uint.MaxValue, BitConverter.ToUInt32(stream, 4));

        using var whole = await PostAsync(Client, "v1/tts", Admin, json.Replace("\"stream\":true", "\"stream\":false"));
        Assert.Equal("HIT", Header(whole, "X-Cache"));
        var file = await whole.Content.ReadAsByteArrayAsync();
        Assert.Equal(file.Length, whole.Content.Headers.ContentLength);
        Assert.Equal(stream.Length, file.Length);
        Assert.Equal((await ServerAudio.WaveFramesAsync(stream)).DecodedSamples, await AssertCompleteWavAsync(file, 16000));
    }

    [Fact]
    public async Task Other_formats_keep_streaming_by_default()
    {
        using var response = await PostAsync(Client, "v1/tts", Admin,
            $$"""{"text":"Thank you, caller {{Random.Shared.Next(1000, 9999)}}.","voice_id":"emily-en-us","format":"mp3"}""", headersOnly: true);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.TransferEncodingChunked);
        Assert.Null(response.Content.Headers.ContentLength);
    }

    [Fact]
    public async Task Openai_wav_is_a_whole_file_unless_stream_format_audio_is_explicit()
    {
        var input = $"Your order {Random.Shared.Next(1000, 9999)} has shipped.";
        using var whole = await OpenAiTestHttp.SpeechAsync(Client, Admin, OpenAiTestHttp.Body(format: "wav", input: input), completion: HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
        Assert.NotEqual(true, whole.Headers.TransferEncodingChunked);
        var file = await whole.Content.ReadAsByteArrayAsync();
        Assert.Equal(file.Length, whole.Content.Headers.ContentLength);
        var frames = await AssertCompleteWavAsync(file, 24000);

        using var streamed = await OpenAiTestHttp.SpeechAsync(Client, Admin, OpenAiTestHttp.Body(format: "wav", input: $"Your parcel {Random.Shared.Next(1000, 9999)} is late.",
            extra: ""","stream_format":"audio" """), completion: HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, streamed.StatusCode);
        Assert.True(streamed.Headers.TransferEncodingChunked);
        var stream = await streamed.Content.ReadAsByteArrayAsync();
        Assert.Equal(uint.MaxValue, BitConverter.ToUInt32(stream, 40));
        Assert.True((await ServerAudio.WaveFramesAsync(stream)).DecodedSamples > frames / 2);
    }

    [Fact]
    public async Task With_timestamps_writes_a_long_complete_wav_in_its_json_from_the_spool_and_from_the_cache()
    {
        var json = $$"""{"text":"{{LongText(300)}}","voice_id":"emily-en-us","format":"wav","sample_rate":48000}""";
        byte[]? first = null;
        foreach (var expected in new[] { "MISS", "HIT" })
        {
            using var response = await PostAsync(Client, "v1/tts/with-timestamps", Admin, json);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(expected, Header(response, "X-Cache"));
            var body = await ReadJsonAsync(response);
            var wav = Convert.FromBase64String(body.GetProperty("audio_base64").GetString()!);
            Assert.True(wav.Length > 1024 * 1024, $"only {wav.Length} bytes");
            var frames = await AssertCompleteWavAsync(wav, 48000);
            Assert.InRange(body.GetProperty("duration_ms").GetInt64(), frames / 48 - 1, frames / 48 + 1);
            Assert.Equal(48000, body.GetProperty("sample_rate").GetInt32());
            Assert.Equal("wav", body.GetProperty("format").GetString());
            var words = body.GetProperty("words");
            Assert.True(words.GetArrayLength() > 40);
            Assert.True(words[words.GetArrayLength() - 1].GetProperty("end_ms").GetInt64() <= body.GetProperty("duration_ms").GetInt64());
            Assert.Equal(first ?? wav, wav);
            first = wav;
        }
    }

    [Fact]
    public async Task A_long_whole_file_is_spooled_to_disk_and_its_spool_is_deleted_when_sent_or_abandoned()
    {
        var spools = Directory.CreateTempSubdirectory("cw-spool-").FullName;
        try
        {
            await using var server = await ServerProcess.StartAsync(fixture.Environment(("ASPNETCORE_TEMP", spools)));
            // About a minute of 48 kHz audio (over 5 MB): far past the spool's memory threshold.
            var json = $$"""{"text":"{{LongText(1000)}}","voice_id":"emily-en-us","format":"wav","sample_rate":48000}""";
            var answer = PostAsync(server.Client, "v1/tts", Admin, json);
            Assert.True(await SpoolAppearsAsync(spools, answer), "no spool file while rendering");
            using (var response = await answer)
            {
                var file = await response.Content.ReadAsByteArrayAsync();
                Assert.True(file.Length > 5_000_000, $"only {file.Length} bytes");
                await AssertCompleteWavAsync(file, 48000);
            }
            Assert.True(await SpoolsGoneAsync(spools), "the spool outlived its answer");

            using var leave = new CancellationTokenSource();
            var abandoned = PostAsync(server.Client, "v1/tts", Admin, json.Replace("Sentence", "Line"), cancellationToken: leave.Token);
            Assert.True(await SpoolAppearsAsync(spools, abandoned), "no spool file while rendering");
            await leave.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned);
            Assert.True(await SpoolsGoneAsync(spools), "the spool of an abandoned answer was kept");
        }
        finally
        {
            Directory.Delete(spools, recursive: true);
        }
    }

    private static async Task<bool> SpoolAppearsAsync(string folder, Task<HttpResponseMessage> answer)
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(60); DateTime.UtcNow < deadline && !answer.IsCompleted; await Task.Delay(20))
        {
            if (Directory.EnumerateFiles(folder).Any()) return true;
        }
        return answer.IsCompleted ? throw new InvalidOperationException($"answered {(await answer).StatusCode} before any spool file was seen") : false;
    }

    private static async Task<bool> SpoolsGoneAsync(string folder)
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(20); DateTime.UtcNow < deadline; await Task.Delay(50))
        {
            if (!Directory.EnumerateFiles(folder).Any()) return true;
        }
        return false;
    }

    // Python's wave module reads the header's frame count, which must equal what sox decodes from the data; returns it.
    private static async Task<long> AssertCompleteWavAsync(byte[] file, int rate)
    {
        Assert.Equal(file.Length - 8, BitConverter.ToInt32(file, 4));
        Assert.Equal(file.Length - 44, BitConverter.ToInt32(file, 40));
        var wave = await ServerAudio.WaveFramesAsync(file);
        Assert.Equal(rate, wave.Rate);
        Assert.True(wave.HeaderFrames > rate / 2, $"{wave.HeaderFrames} frames");
        Assert.Equal(wave.DecodedSamples, wave.HeaderFrames);
        Assert.Equal((file.Length - 44) / 2, wave.HeaderFrames);
        return wave.HeaderFrames;
    }
}
