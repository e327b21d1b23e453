using System.ClientModel;
using System.Net;
using System.Text.Json;
using CallWaiting.Server.Tests.Infrastructure;
using CallWaiting.Speech.Synthesis;
using OpenAI;
using OpenAI.Audio;
using static CallWaiting.Server.Tests.OpenAi.OpenAiTestHttp;

namespace CallWaiting.Server.Tests.OpenAi;

/// <summary>The official OpenAI SDKs, unchanged and pointed at a real server: Node's `openai` from npm and .NET's OpenAI package.</summary>
public sealed class OpenAiSdkTests(OpenAiSdkServerFixture fixture) : IClassFixture<OpenAiSdkServerFixture>
{
    private const string Input = "Thank you for calling. Your call is important to us, so please stay on the line.";

    [Fact]
    public async Task Node_sdk_writes_a_playable_mp3_streams_sse_and_raises_typed_errors()
    {
        var outDir = Directory.CreateTempSubdirectory("cw-openai-node-").FullName;
        try
        {
            await OpenAiNodeSdk.RunAsync(fixture.BaseUrl, fixture.Server.BootstrapKey, outDir);
            using var document = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(outDir, "result.json")));
            var result = document.RootElement;

            Assert.Equal(["tts-1", "tts-1-hd", "gpt-4o-mini-tts", "callwaiting-tts"],
                result.GetProperty("models").EnumerateArray().Select(m => m.GetProperty("id").GetString()));

            var mp3 = await OpenAiAudio.AnalyzeAsync(await File.ReadAllBytesAsync(Path.Combine(outDir, "speech.mp3")), "mp3");
            Assert.Equal(24000, mp3.SampleRate);
            OpenAiAudio.AssertSpeech(mp3, minSeconds: 2.5);
            Assert.Equal("audio/mpeg", result.GetProperty("speech").GetProperty("contentType").GetString());

            var sse = result.GetProperty("sse");
            Assert.Equal("text/event-stream", sse.GetProperty("contentType").GetString());
            var types = sse.GetProperty("types").EnumerateArray().Select(t => t.GetString()).ToList();
            Assert.True(sse.GetProperty("deltas").GetInt32() >= 1);
            Assert.Equal(Enumerable.Repeat("speech.audio.delta", types.Count - 1).Append("speech.audio.done"), types);
            var streamed = await OpenAiAudio.AnalyzeAsync(await File.ReadAllBytesAsync(Path.Combine(outDir, "sse.mp3")), "mp3");
            Assert.Equal(24000, streamed.SampleRate);
            OpenAiAudio.AssertSpeech(streamed, minSeconds: 2.5);
            Assert.InRange(streamed.Seconds, mp3.Seconds * 0.98, mp3.Seconds * 1.02);
            var usage = sse.GetProperty("usage");
            Assert.Equal(Input.Length, usage.GetProperty("input_tokens").GetInt32());
            Assert.InRange(usage.GetProperty("output_tokens").GetInt32(), streamed.Seconds / 0.05 * 0.95, streamed.Seconds / 0.05 * 1.05 + 1);

            var badKey = result.GetProperty("badKey");
            Assert.Equal("AuthenticationError", badKey.GetProperty("class").GetString());
            Assert.True(badKey.GetProperty("authentication").GetBoolean());
            Assert.Equal(401, badKey.GetProperty("status").GetInt32());
            Assert.Equal("invalid_api_key", badKey.GetProperty("code").GetString());
            Assert.Equal("invalid_request_error", badKey.GetProperty("type").GetString());

            foreach (var (name, code, param) in new[] { ("unknownVoice", "voice_not_found", "voice"), ("unknownModel", "model_not_found", "model") })
            {
                var error = result.GetProperty(name);
                Assert.Equal("NotFoundError", error.GetProperty("class").GetString());
                Assert.Equal(404, error.GetProperty("status").GetInt32());
                Assert.Equal(code, error.GetProperty("code").GetString());
                Assert.Equal(param, error.GetProperty("param").GetString());
            }
        }
        finally
        {
            Directory.Delete(outDir, recursive: true);
        }
    }

    [Fact]
    public async Task Dotnet_sdk_generates_speech_in_every_format_it_names_but_aac()
    {
        var audio = Client("tts-1", fixture.Server.BootstrapKey);
        foreach (var (format, extension, rate) in new[] { (GeneratedSpeechFormat.Mp3, "mp3", 24000), (GeneratedSpeechFormat.Wav, "wav", 24000),
                     (GeneratedSpeechFormat.Flac, "flac", 24000), (GeneratedSpeechFormat.Pcm, "pcm", 24000), (GeneratedSpeechFormat.Opus, "opus", 48000) })
        {
            ClientResult<BinaryData> speech = await audio.GenerateSpeechAsync(Input, GeneratedSpeechVoice.Alloy, new SpeechGenerationOptions { ResponseFormat = format });
            var stats = await OpenAiAudio.AnalyzeAsync(speech.Value.ToArray(), extension);
            Assert.Equal(rate, stats.SampleRate);
            OpenAiAudio.AssertSpeech(stats, minSeconds: 2.5);
        }

        var aac = await Assert.ThrowsAsync<ClientResultException>(() =>
            audio.GenerateSpeechAsync(Input, GeneratedSpeechVoice.Alloy, new SpeechGenerationOptions { ResponseFormat = GeneratedSpeechFormat.Aac }));
        Assert.Equal(400, aac.Status);
        Assert.Contains("AAC encoder", aac.Message);
    }

    [Fact]
    public async Task Dotnet_sdk_speed_and_catalog_voices_pass_through()
    {
        var audio = Client("callwaiting-tts", fixture.Server.BootstrapKey);
        var normal = await OpenAiAudio.AnalyzeAsync((await audio.GenerateSpeechAsync(Input, new GeneratedSpeechVoice("sophia-en-gb"),
            new SpeechGenerationOptions { ResponseFormat = GeneratedSpeechFormat.Wav })).Value.ToArray(), "wav");
        var fast = await OpenAiAudio.AnalyzeAsync((await audio.GenerateSpeechAsync(Input, new GeneratedSpeechVoice("sophia-en-gb"),
            new SpeechGenerationOptions { ResponseFormat = GeneratedSpeechFormat.Wav, SpeedRatio = 3f })).Value.ToArray(), "wav");
        OpenAiAudio.AssertSpeech(normal, minSeconds: 2.5);
        Assert.True(fast.RmsAmplitude > 0.01);
        Assert.InRange(normal.Seconds / fast.Seconds, 2.5, 3.6);
    }

    // The SDK marks its speech streaming API as experimental (OPENAI001); it is what customers of SSE speech call.
#pragma warning disable OPENAI001
    [Fact]
    public async Task Dotnet_sdk_streams_sse_updates_and_reports_usage()
    {
        var audio = Client("gpt-4o-mini-tts", fixture.Server.BootstrapKey);
        var bytes = new List<byte>();
        SpeechTokenUsage? usage = null;
        var afterDone = 0;
        var updates = await audio.GenerateSpeechStreamingAsync(Input, GeneratedSpeechVoice.Alloy, new SpeechGenerationOptions { ResponseFormat = GeneratedSpeechFormat.Pcm });
        await foreach (var update in updates)
        {
            if (usage is not null) afterDone++;
            switch (update)
            {
                case StreamingSpeechAudioDeltaUpdate delta:
                    bytes.AddRange(delta.AudioBytes.ToArray());
                    break;
                case StreamingSpeechAudioDoneUpdate done:
                    usage = done.Usage;
                    break;
            }
        }

        Assert.NotNull(usage);
        Assert.Equal(0, afterDone);
        var stats = await OpenAiAudio.AnalyzeAsync(bytes.ToArray(), "pcm");
        OpenAiAudio.AssertSpeech(stats, minSeconds: 2.5);
        Assert.Equal(Input.Length, usage.InputTokenCount);
        Assert.Equal((int)Math.Ceiling(bytes.Count / 2 / 24000.0 / 0.05), usage.OutputTokenCount);
        Assert.Equal(usage.InputTokenCount + usage.OutputTokenCount, usage.TotalTokenCount);
    }
#pragma warning restore OPENAI001

    [Fact]
    public async Task Dotnet_sdk_sees_a_bad_key_as_401()
    {
        var audio = Client("tts-1", "cw_live_" + new string('B', 43));
        var error = await Assert.ThrowsAsync<ClientResultException>(() => audio.GenerateSpeechAsync(Input, GeneratedSpeechVoice.Alloy));
        Assert.Equal(401, error.Status);
        Assert.Equal("invalid_api_key", JsonDocument.Parse(error.GetRawResponse()!.Content).RootElement.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task Configured_voice_names_replace_and_extend_the_defaults()
    {
        var key = fixture.Server.BootstrapKey;
        var client = fixture.Server.Client;
        foreach (var (voice, slug) in new[] { ("shimmer", "james-en-us"), ("operator", "sophia-en-gb"), ("alloy", "emily-en-us") })
        {
            using var response = await SpeechAsync(client, key, Body(voice: voice, input: "Hello."));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(VoiceIds.FromSlug(slug).ToString(), Header(response, "X-Voice-ID"));
        }

        using (var ghost = await SpeechAsync(client, key, Body(voice: "ghost")))
        {
            var message = (await AssertOpenAiErrorAsync(ghost, HttpStatusCode.NotFound, "voice_not_found", "voice")).GetProperty("message").GetString();
            Assert.Contains("maps to no-such-voice", message);
        }

        using var list = await GetAsync(client, "v1/audio/voices", key);
        var voices = (await ReadJsonAsync(list)).GetProperty("data").EnumerateArray().ToDictionary(v => v.GetProperty("id").GetString()!);
        Assert.Equal("james-en-us", voices["shimmer"].GetProperty("maps_to").GetString());
        Assert.Equal("sophia-en-gb", voices["operator"].GetProperty("maps_to").GetString());
        Assert.False(voices.ContainsKey("ghost"), "a name that maps to nothing here is not offered");
    }

    [Fact]
    public async Task Invalid_voice_configuration_stops_start_up_with_a_clear_message()
    {
        var result = await ServerCli.RunAsync(new Dictionary<string, string?>
        {
            ["CALLWAITING_DATA_DIR"] = Directory.CreateTempSubdirectory("cw-openai-bad-").FullName,
            ["CALLWAITING_OpenAi__Voices__alloy"] = "not a voice!",
        }, "serve", "--urls", "http://127.0.0.1:0");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("OpenAi:Voices", result.StandardError);
    }

    private AudioClient Client(string model, string key) =>
        new(model, new ApiKeyCredential(key), new OpenAIClientOptions { Endpoint = fixture.BaseUrl, RetryPolicy = new System.ClientModel.Primitives.ClientRetryPolicy(0) });
}
