using System.Net.WebSockets;
using System.Text.Json;
using CallWaiting.Server.Tests.Infrastructure;
using CallWaiting.Server.Tests.Realtime;

namespace CallWaiting.Server.Tests.Twilio;

/// <summary>The WebSocket's Twilio mode: exactly Twilio's outbound Media Streams messages, marks, and barge-in with clear.</summary>
[Collection(RealtimeServerCollection.Name)]
public sealed class TwilioMediaStreamTests(RealtimeServerFixture fixture)
{
    private const string StreamSid = "MZ0123456789abcdef0123456789abcdef";

    [Fact]
    public async Task Twilio_mode_sends_only_text_media_frames_of_160_mulaw_bytes_and_a_mark_after_each_utterance()
    {
        await using var client = await RealtimeTestClient.ConnectAsync(fixture.WebSocketUri, fixture.Server.BootstrapKey);
        await client.SendAsync($$"""{"voice_id":"james-en-us","mode":"twilio","stream_sid":"{{StreamSid}}","pacing":"fast"}""");
        await client.SendAsync("""{"text":"Hello caller. Please stay on the line."}""");
        await client.SendAsync("""{"close":true}""");
        var close = await client.WaitForCloseAsync();
        Assert.Equal(WebSocketCloseStatus.NormalClosure, close.CloseStatus);

        var frames = client.Frames.Where(f => f.Type != WebSocketMessageType.Close).ToList();
        Assert.All(frames, f => Assert.Equal(WebSocketMessageType.Text, f.Type)); // Twilio rejects binary frames
        var messages = frames.Select(f => f.Json).ToList();
        Assert.All(messages, m => Assert.Equal(StreamSid, m.GetProperty("streamSid").GetString()));
        Assert.All(messages, m => Assert.Contains(m.GetProperty("event").GetString(), new[] { "media", "mark" }));

        var payloads = new List<byte[]>();
        foreach (var m in messages.Where(m => m.GetProperty("event").GetString() == "media"))
        {
            var media = m.GetProperty("media");
            Assert.Equal(["payload"], media.EnumerateObject().Select(p => p.Name));
            payloads.Add(Convert.FromBase64String(media.GetProperty("payload").GetString()!));
        }

        Assert.All(payloads, p => Assert.Equal(160, p.Length));
        Assert.True(payloads.Count > 50, $"{payloads.Count} media frames");

        // One mark per sentence, each after that sentence's audio, and the last message is a mark.
        var marks = messages.Select((m, i) => (m, i)).Where(x => x.m.GetProperty("event").GetString() == "mark").ToList();
        Assert.Equal(["utterance-1", "utterance-2"], marks.Select(x => x.m.GetProperty("mark").GetProperty("name").GetString()));
        Assert.True(marks[0].i > 10 && marks[1].i > marks[0].i + 10, "each mark follows its utterance's media");
        Assert.Equal(messages.Count - 1, marks[1].i);

        // The payloads decode (with sox) as 8 kHz μ-law speech of exactly 20 ms per frame.
        var audio = await ServerAudio.AnalyzeRawAsync(payloads.SelectMany(p => p).ToArray(), "ul", 8000);
        Assert.Equal(payloads.Count * 0.020, audio.Seconds, 3);
        Assert.True(audio.RmsAmplitude > 0.01, $"RMS {audio.RmsAmplitude}");
    }

    [Fact]
    public async Task Clear_stops_media_frames_promptly_and_the_stream_goes_on_afterwards()
    {
        await using var client = await RealtimeTestClient.ConnectAsync(fixture.WebSocketUri, fixture.Server.BootstrapKey);
        await client.SendAsync($$"""{"voice_id":"james-en-us","mode":"twilio","stream_sid":"{{StreamSid}}"}""");
        var speech = "Your call is important to us, and every agent is helping another caller right now. "
            + "Please stay on the line and the next available agent will be with you shortly. "
            + "You can also visit our website at any time to manage your account online.";
        await client.SendAsync(JsonSerializer.Serialize(new { text = speech, flush = true }));

        // Real-time pacing: after 0.5 s of audio most of this ~10 s announcement is still unsent.
        var (beforeClear, afterClear) = await ClearAfterHalfASecondAsync(client);
        Assert.True(afterClear <= 10, $"{afterClear} media frames arrived after clear (75 would have without it)");
        Assert.DoesNotContain(client.Frames, f => f.Type == WebSocketMessageType.Text && f.Json.GetProperty("event").GetString() == "mark");

        // Barge-in dropped the old speech only: new text is spoken and marked.
        await client.SendAsync("""{"text":"How can I help?","flush":true}""");
        var mark = await client.WaitForAsync(f => f.Type == WebSocketMessageType.Text && f.Json.GetProperty("event").GetString() == "mark", what: "mark after clear");
        Assert.StartsWith("utterance-", mark.Json.GetProperty("mark").GetProperty("name").GetString(), StringComparison.Ordinal);
        Assert.True(MediaCount(client) > beforeClear + afterClear + 20, "the new utterance's media arrived");
    }

    [Fact]
    public async Task Clear_is_heard_promptly_even_when_a_long_answer_is_queued_behind_real_time_pacing()
    {
        await using var client = await RealtimeTestClient.ConnectAsync(fixture.WebSocketUri, fixture.Server.BootstrapKey);
        await client.SendAsync($$"""{"voice_id":"james-en-us","mode":"twilio","stream_sid":"{{StreamSid}}"}""");

        // A voice agent's long answer, one sentence per message as an LLM streams it: far more speech than the
        // buffered-audio bound (2 s here), so most sentences wait in the queue while frames go out at real time.
        for (var i = 1; i <= 12; i++)
            await client.SendAsync(JsonSerializer.Serialize(new { text = $"Here is detail number {i} about your account and its recent activity. " }));

        var (_, afterClear) = await ClearAfterHalfASecondAsync(client);
        Assert.True(afterClear <= 10, $"{afterClear} media frames arrived in the 1.5 s after clear; it was not read until the queue had room");
    }

    // Waits for 25 media frames (0.5 s of paced audio), sends Twilio's clear, and counts the frames of the next 1.5 s.
    private static async Task<(int BeforeClear, int AfterClear)> ClearAfterHalfASecondAsync(RealtimeTestClient client)
    {
        await client.WaitForAsync(f => MediaCount(client) >= 25, TimeSpan.FromSeconds(30), "25 media frames");
        var beforeClear = MediaCount(client);
        await client.SendAsync($$"""{"event":"clear","streamSid":"{{StreamSid}}"}""");
        await Task.Delay(1500);
        return (beforeClear, MediaCount(client) - beforeClear);
    }

    private static int MediaCount(RealtimeTestClient client) =>
        client.Frames.Count(f => f.Type == WebSocketMessageType.Text && f.Json.GetProperty("event").GetString() == "media");
}
