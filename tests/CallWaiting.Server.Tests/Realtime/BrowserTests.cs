using System.Text.Json;
using CallWaiting.Server.Tests.Infrastructure;

namespace CallWaiting.Server.Tests.Realtime;

/// <summary>
/// A real browser (Debian's Chromium, driven by playwright-core): the API reference page renders with no network, and a
/// page connects to the WebSocket with a ws-token as docs/WEBSOCKET.md tells browsers to, and decodes the audio itself.
/// </summary>
[Collection(RealtimeServerCollection.Name)]
public sealed class BrowserTests(RealtimeServerFixture fixture)
{
    private const string Text = "Hello from the browser. Chromium decodes this audio itself.";

    [Fact]
    public async Task The_docs_page_renders_and_a_page_streams_mp3_opus_and_wav_over_a_token_websocket_that_the_browser_decodes()
    {
        // The script stands in for the app's backend as well: it trades the key for a token before each session and
        // hands the page only the token (this fixture's tokens live 2 s).
        var output = await NodeScript.RunAsync("browser", "playwright-core", "session.mjs", new Dictionary<string, string>
        {
            ["BASE_URL"] = fixture.Server.BaseAddress.ToString(),
            ["API_KEY"] = fixture.Server.BootstrapKey,
            ["VOICE"] = "james-en-us",
            ["FORMATS"] = "mp3,opus,wav",
        }, TimeSpan.FromMinutes(2));
        using var document = JsonDocument.Parse(output);
        var result = document.RootElement;

        // The reference page works offline: every script and style comes from the server, nothing failed or threw.
        Assert.Equal(200, result.GetProperty("docsStatus").GetInt32());
        Assert.Equal("CallWaiting TTS API", result.GetProperty("docsTitle").GetString());
        Assert.Empty(result.GetProperty("pageErrors").EnumerateArray());
        Assert.Empty(result.GetProperty("failedRequests").EnumerateArray());

        string[] words = ["hello", "from", "the", "browser", "chromium", "decodes", "this", "audio", "itself"];
        foreach (var (format, contentType, extraSeconds) in new[] { ("mp3", "audio/mpeg", 0.3), ("opus", "audio/ogg; codecs=opus", 0.1), ("wav", "audio/wav", 0.01) })
        {
            var session = result.GetProperty("sessions").GetProperty(format);
            Assert.Equal(1000, session.GetProperty("close").GetProperty("code").GetInt32());
            Assert.Equal(contentType, session.GetProperty("contentType").GetString());
            Assert.Equal(Text.Length - 1, session.GetProperty("finalCharacters").GetInt32()); // the space between the sentences is not spoken
            Assert.Equal(words, session.GetProperty("words").EnumerateArray().Select(w => w.GetString()!.ToLowerInvariant()).ToArray());
            Assert.True(session.GetProperty("bytes").GetInt32() > 4000, $"{format}: {session.GetProperty("bytes").GetInt32()} bytes");

            // Chromium's own decoder gets the whole utterance back: as long as the server says it sent (a codec's
            // delay and end-of-utterance padding on top), and not silent.
            var sent = session.GetProperty("finalAudioMs").GetInt64() / 1000.0;
            var decoded = session.GetProperty("decodedSeconds").GetDouble();
            Assert.True(sent > 2, $"{format}: final says {sent} s");
            Assert.InRange(decoded, sent - 0.01, sent + extraSeconds);
            Assert.True(session.GetProperty("rms").GetDouble() > 0.01, $"{format}: RMS {session.GetProperty("rms").GetDouble()}");
        }
    }
}
