using System.Net;
using System.Text.Json;
using CallWaiting.Server.Tests.Realtime;
using static CallWaiting.Server.Tests.Api.ApiTestHttp;

namespace CallWaiting.Server.Tests.Api;

/// <summary>
/// Text is measured in Unicode code points on every route, for the length limit, X-Text-Length and metering alike:
/// an emoji is one character, although it is two UTF-16 units.
/// </summary>
[Collection(RealtimeServerCollection.Name)]
public sealed class TextLengthTests(RealtimeServerFixture fixture)
{
    /// <summary>"Hello." and 700 emoji: 706 characters, but 1,406 UTF-16 units, over the default limit of 1,200 were units counted.</summary>
    internal static readonly string LongEmojiText = "Hello." + Emoji(700);

    [Theory]
    [InlineData("v1/tts")]
    [InlineData("v1/tts/with-timestamps")]
    [InlineData("v1/tts/stream-with-timestamps")]
    public async Task Tts_routes_count_code_points_for_the_limit_the_header_and_the_meter(string path)
    {
        var (requests, characters) = await RealtimeStreamingTests.UsageAsync(fixture);
        var body = JsonSerializer.Serialize(new { text = LongEmojiText, voice_id = "james-en-us", format = "mp3" });
        using (var response = await SendAsync(fixture.Server.Client, HttpMethod.Post, path, fixture.Server.BootstrapKey, Json(body)))
        {
            var content = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, content);
            Assert.Equal("706", Header(response, "X-Text-Length"));
        }

        await RealtimeStreamingTests.UsageReachesAsync(fixture, requests + 1, characters + 706);

        var tooLong = JsonSerializer.Serialize(new { text = Emoji(1201), voice_id = "james-en-us", format = "mp3" });
        using var refused = await SendAsync(fixture.Server.Client, HttpMethod.Post, path, fixture.Server.BootstrapKey, Json(tooLong));
        Assert.Contains("1201 characters", await AssertErrorAsync(refused, HttpStatusCode.BadRequest), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_openai_route_counts_code_points_for_the_limit_the_header_and_the_meter()
    {
        // 2,106 characters: within OpenAI's 4,096 only when counted in code points (4,206 UTF-16 units).
        var (requests, characters) = await RealtimeStreamingTests.UsageAsync(fixture);
        var body = JsonSerializer.Serialize(new { model = "tts-1", input = "Hello." + Emoji(2100), voice = "alloy", response_format = "mp3" });
        using (var response = await SendAsync(fixture.Server.Client, HttpMethod.Post, "v1/audio/speech", fixture.Server.BootstrapKey, Json(body)))
        {
            var content = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, content);
            Assert.Equal("2106", Header(response, "X-Text-Length"));
        }

        await RealtimeStreamingTests.UsageReachesAsync(fixture, requests + 1, characters + 2106);
    }

    [Fact]
    public async Task The_websocket_counts_code_points_in_flush_done_and_the_meter()
    {
        var (requests, characters) = await RealtimeStreamingTests.UsageAsync(fixture);
        await using (var client = await RealtimeTestClient.ConnectAsync(fixture.WebSocketUri, fixture.Server.BootstrapKey))
        {
            await client.SendAsync("""{"voice_id":"james-en-us","format":"pcm16"}""");
            await client.SendAsync(JsonSerializer.Serialize(new { text = "Hello " + Emoji(20) + ".", flush = true }));
            var done = await client.WaitForAsync(f => f.JsonType == "flush_done");
            Assert.Equal(27, done.Json.GetProperty("characters").GetInt64());
            await client.SendAsync("""{"close":true}""");
            await client.WaitForCloseAsync();
        }

        await RealtimeStreamingTests.UsageReachesAsync(fixture, requests + 1, characters + 27);
    }

    private static string Emoji(int count) => string.Concat(Enumerable.Repeat("😀", count));
}
