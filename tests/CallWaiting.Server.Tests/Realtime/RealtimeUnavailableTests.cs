using System.Net.WebSockets;
using System.Text.Json;
using CallWaiting.Server.Tests.Infrastructure;

namespace CallWaiting.Server.Tests.Realtime;

/// <summary>
/// A session the server cannot serve is told which case it is: 1013 (try again later) when every engine is busy, 1001
/// with a shutdown reason when the server stops, also mid-synthesis.
/// </summary>
public sealed class RealtimeUnavailableTests
{
    private const string Config = """{"voice_id":"james-en-us","format":"pcm16"}""";

    [Fact]
    public async Task A_busy_server_closes_with_1013_and_a_stopping_one_with_1001_and_a_shutdown_reason()
    {
        // One worker and no queue: a second synthesis at the same time is refused as overloaded.
        await using var server = await ServerProcess.StartAsync(new Dictionary<string, string?>(ServerProcess.Unthrottled)
        {
            ["CALLWAITING_Speech__Workers"] = "1",
            ["CALLWAITING_Speech__QueueCapacity"] = "0",
        });
        var uri = new Uri($"ws://{server.BaseAddress.Authority}/v1/tts/ws");
        var sentence = "This long announcement keeps the speech engine busy for quite a while, sentence after sentence. ";
        await using var speaking = await RealtimeTestClient.ConnectAsync(uri, server.BootstrapKey);
        await using var waiting = await RealtimeTestClient.ConnectAsync(uri, server.BootstrapKey);
        foreach (var client in new[] { speaking, waiting })
        {
            await client.SendAsync(Config);
            await client.WaitForAsync(f => f.JsonType == "ready");
        }

        await speaking.SendAsync(JsonSerializer.Serialize(new { text = string.Concat(Enumerable.Repeat(sentence, 20)), flush = true }));
        await speaking.WaitForAsync(f => f.Type == WebSocketMessageType.Binary, what: "first audio");

        // The one worker is free for a moment between the speaking session's utterances; a session whose request lands
        // in that gap is served, which is right, so another one tries. Every one that is not served must be told 1013.
        RealtimeFrame? refused = null;
        for (var attempt = 0; attempt < 5 && refused is null; attempt++)
        {
            await using var busy = await RealtimeTestClient.ConnectAsync(uri, server.BootstrapKey);
            await busy.SendAsync(Config);
            await busy.WaitForAsync(f => f.JsonType == "ready");
            await busy.SendAsync(JsonSerializer.Serialize(new { text = "Is anyone there?", flush = true }));
            var outcome = await busy.WaitForAsync(f => f.Type is WebSocketMessageType.Close or WebSocketMessageType.Binary, TimeSpan.FromSeconds(10), "audio or a close");
            if (outcome.Type == WebSocketMessageType.Close) refused = outcome;
        }

        Assert.NotNull(refused);
        Assert.Equal(1013, (int?)refused.CloseStatus);
        Assert.Contains("busy", refused.CloseReason, StringComparison.Ordinal);

        var stopping = server.StopAsync();
        foreach (var client in new[] { speaking, waiting })
        {
            var close = await client.WaitForCloseAsync(TimeSpan.FromSeconds(20));
            Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, close.CloseStatus);
            Assert.Equal("The server is shutting down.", close.CloseReason);
        }

        Assert.Equal(0, await stopping);
    }
}
