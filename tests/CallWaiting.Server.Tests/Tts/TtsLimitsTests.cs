using System.Net;
using System.Text.Json;
using CallWaiting.Server.Tests.Infrastructure;
using static CallWaiting.Server.Tests.Api.ApiTestHttp;

namespace CallWaiting.Server.Tests.Tts;

/// <summary>GET /v1/tts/limits states the rules POST /v1/tts enforces: each stated limit is checked against the endpoint itself.</summary>
[Collection(TtsServerCollection.Name)]
public sealed class TtsLimitsTests(ServerFixture fixture)
{
    private HttpClient Client => fixture.Server.Client;
    private string Admin => fixture.Server.BootstrapKey;

    [Fact]
    public async Task The_limits_match_what_tts_accepts_and_refuses()
    {
        using var response = await GetAsync(Client, "v1/tts/limits", Admin);
        var json = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, json);
        using var document = JsonDocument.Parse(json);
        var limits = document.RootElement;

        var maxText = limits.GetProperty("max_text_length").GetInt32();
        Assert.Equal(1200, maxText);
        using (var atLimit = await TtsAsync(Client, Admin, Body("Hi." + new string(' ', maxText - 3), "pcm16", null)))
            Assert.Equal(HttpStatusCode.OK, atLimit.StatusCode);
        using (var overLimit = await TtsAsync(Client, Admin, Body("Hi." + new string(' ', maxText - 2), "pcm16", null)))
            Assert.Contains($"maximum {maxText}", await AssertErrorAsync(overLimit, HttpStatusCode.BadRequest), StringComparison.Ordinal);

        Assert.Equal(0.5, limits.GetProperty("speed").GetProperty("min").GetDouble());
        Assert.Equal(2.0, limits.GetProperty("speed").GetProperty("max").GetDouble());
        Assert.Equal(8000, limits.GetProperty("sample_rate").GetProperty("min").GetInt32());
        Assert.Equal(48000, limits.GetProperty("sample_rate").GetProperty("max").GetInt32());

        var formats = limits.GetProperty("formats").EnumerateArray().ToDictionary(f => f.GetProperty("name").GetString()!);
        Assert.Equal(["alaw", "flac", "mp3", "opus", "pcm16", "ulaw", "wav"], formats.Keys.Order(StringComparer.Ordinal));
        Assert.Equal([8000, 12000, 16000, 24000, 48000], formats["opus"].GetProperty("sample_rates").EnumerateArray().Select(r => r.GetInt32()));
        Assert.Empty(formats["wav"].GetProperty("sample_rates").EnumerateArray());
        Assert.Equal(8000, formats["ulaw"].GetProperty("default_sample_rate").GetInt32());
        Assert.Equal(JsonValueKind.Null, formats["mp3"].TryGetProperty("default_sample_rate", out var mp3Default) ? mp3Default.ValueKind : JsonValueKind.Null);
        Assert.Equal("ul", formats["ulaw"].GetProperty("file_extension").GetString());
        Assert.False(formats["wav"].GetProperty("streamed_by_default").GetBoolean());
        Assert.True(formats["mp3"].GetProperty("streamed_by_default").GetBoolean());

        // mp3 takes exactly the rates it lists: a listed one is encoded, one between them is refused.
        var mp3Rates = formats["mp3"].GetProperty("sample_rates").EnumerateArray().Select(r => r.GetInt32()).ToList();
        Assert.Contains(22050, mp3Rates);
        Assert.DoesNotContain(22051, mp3Rates);
        var listed = await TtsTestHttp.SynthesizeAsync(Client, Admin, Body("Listed.", "mp3", 22050));
        Assert.Equal(HttpStatusCode.OK, listed.Status);
        Assert.Equal(22050, (await ServerAudio.AnalyzeAsync(listed.Body, "mp3")).SampleRate);
        using (var unlisted = await TtsAsync(Client, Admin, Body("Unlisted.", "mp3", 22051)))
            await AssertErrorAsync(unlisted, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task The_limits_need_a_valid_key()
    {
        using var response = await GetAsync(Client, "v1/tts/limits", key: null);
        await AssertErrorAsync(response, HttpStatusCode.Unauthorized);
    }

    private static string Body(string text, string format, int? rate) =>
        JsonSerializer.Serialize(new { text, voice_id = "james-en-us", format, sample_rate = rate });
}
