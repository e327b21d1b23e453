using System.Text.Json;
using CallWaiting.Server.Tests.Infrastructure;

namespace CallWaiting.Server.Tests.Realtime;

/// <summary>
/// The playground at "/" in a real browser (Debian's Chromium, driven by playwright-core through playground.mjs): a key
/// without admin rights logs in, the form is walked with the keyboard, a few sentences are spoken and heard as they
/// stream, their words light up in order while they play, the file downloads, and the copied code runs.
/// </summary>
public sealed class PlaygroundBrowserTests
{
    private const string Text = "Hello from the playground. Every word lights up while you hear it. A third sentence keeps the audio going a little longer.";
    private const string Voice = "james-en-us";
    private const int Rate = 22050;

    private static readonly string[] Words =
        ["hello", "from", "the", "playground", "every", "word", "lights", "up", "while", "you", "hear", "it", "a", "third", "sentence", "keeps", "the", "audio", "going", "a", "little", "longer"];

    // What Tab reaches after the first header link, in order (Stop is disabled until something plays, so Tab skips it).
    private static readonly string[] TabOrder =
        ["Admin", "API reference", "logout", "text", "ssml", "voice", "format", "speed", "rate", "speak", "download", "snippet-kind", "copy", "snippet-box"];

    [Fact]
    public async Task A_key_logs_in_speaks_hears_its_words_highlighted_in_order_downloads_the_file_and_copies_code_that_runs()
    {
        var data = Directory.CreateTempSubdirectory("cw-playground-").FullName;
        var environment = new Dictionary<string, string?>(ServerProcess.Unthrottled) { ["CALLWAITING_DATA_DIR"] = data };
        var created = await ServerCli.RunAsync(environment, "keys", "create", "--name", "playground", "--scopes", "tts:write,voices:read", "--json");
        Assert.True(created.ExitCode == 0, created.StandardError);
        using var issued = JsonDocument.Parse(created.StandardOutput);
        var key = issued.RootElement.GetProperty("key").GetString()!;
        await using var server = await ServerProcess.StartAsync(environment);

        var downloads = Directory.CreateTempSubdirectory("cw-playground-files-").FullName;
        var output = await NodeScript.RunAsync("browser", "playwright-core", "playground.mjs", new Dictionary<string, string>
        {
            ["BASE_URL"] = server.BaseAddress.ToString(),
            ["API_KEY"] = key,
            ["TEXT"] = Text,
            ["VOICE"] = Voice,
            ["FORMAT"] = "mp3",
            ["RATE"] = Rate.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["OUT"] = downloads,
            ["SCREENSHOTS"] = Screenshots(),
        }, TimeSpan.FromMinutes(3));
        using var document = JsonDocument.Parse(output);
        var result = document.RootElement;

        // Nothing went wrong in the page, and nothing left the server's origin.
        foreach (var problems in new[] { "consoleErrors", "pageErrors", "failedRequests", "offOrigin" })
            Assert.True(!Strings(result, problems).Any(), $"{problems}: {string.Join("\n", Strings(result, problems))}");
        // At most the one stream, reported aborted at its end by Chromium (see playground.mjs), which the page read whole.
        Assert.True(Strings(result, "streamEndReports").Count() <= 1);
        Assert.Single(Strings(result, "stoppedStreams"));
        Assert.Equal(5, Strings(result, "screenshots").Count(File.Exists));

        // Login: focus in the key field, a wrong key refused in the alert region, the field emptied after success.
        Assert.Equal("login-key", result.GetProperty("loginFocused").GetString());
        Assert.Contains("Login failed", result.GetProperty("wrongKeyAlert").GetString(), StringComparison.Ordinal);
        Assert.True(result.GetProperty("loginFieldEmptied").GetBoolean());
        Assert.True(result.GetProperty("loggedOutAfterReload").GetBoolean());
        Assert.Contains("(401)", result.GetProperty("sessionEndedAlert").GetString(), StringComparison.Ordinal);

        // The pickers come from the server: its voices, formats and text limit; every control is labelled.
        Assert.Contains(Voice, Strings(result, "voices"));
        Assert.Contains("emily-en-us", Strings(result, "voices"));
        Assert.Equal(["wav", "pcm16", "ulaw", "alaw", "mp3", "opus", "flac"], Strings(result, "formats"));
        Assert.EndsWith("/ 1200 characters", result.GetProperty("textCount").GetString(), StringComparison.Ordinal);
        Assert.Equal($"{Text.Length} / 1200 characters", result.GetProperty("textCountAfter").GetString());
        Assert.Empty(Strings(result, "labelsMissing"));

        // Keyboard: Tab reaches the form's controls in a logical order, each with a visible focus outline.
        var tabbed = result.GetProperty("tabOrder").EnumerateArray().Select(t => (Id: t.GetProperty("id").GetString()!, Outline: t.GetProperty("outline").GetBoolean())).ToList();
        Assert.Equal(TabOrder, tabbed.Select(t => t.Id));
        Assert.All(tabbed, t => Assert.True(t.Outline, $"{t.Id} shows no focus outline"));

        // What the page fed to Web Audio: several blocks at the chosen rate, seconds of sound, not silence; the first
        // block started before the stream's last byte arrived (it plays as it streams).
        var played = result.GetProperty("played").EnumerateArray().ToList();
        Assert.True(played.Count >= 2, $"{played.Count} blocks");
        Assert.All(played, p => Assert.Equal(Rate, p.GetProperty("sampleRate").GetInt32()));
        var samples = played.Sum(p => p.GetProperty("length").GetInt64());
        var playedSeconds = samples / (double)Rate;
        var rms = Math.Sqrt(played.Sum(p => p.GetProperty("sumSquares").GetDouble()) / samples);
        Assert.InRange(playedSeconds, 4, 20);
        Assert.True(rms > 0.01, $"RMS {rms}");
        var firstPlayedAt = played[0].GetProperty("at").GetDouble();
        Assert.True(firstPlayedAt < result.GetProperty("streamTiming").GetProperty("responseEnd").GetDouble(),
            $"first block at {firstPlayedAt} ms, stream ended at {result.GetProperty("streamTiming")}");

        // The words as spoken, highlighted in order while the audio played (spread over most of it, not all at once).
        Assert.Equal(Words, Strings(result, "words").Select(w => w.ToLowerInvariant()));
        var firstHighlights = result.GetProperty("highlights").EnumerateArray()
            .DistinctBy(h => h.GetProperty("index").GetInt32())
            .Select(h => (Index: h.GetProperty("index").GetInt32(), At: h.GetProperty("at").GetDouble())).ToList();
        Assert.Equal(Enumerable.Range(0, Words.Length), firstHighlights.Select(h => h.Index));
        Assert.True(firstHighlights[0].At >= firstPlayedAt);
        var spreadMs = firstHighlights[^1].At - firstHighlights[0].At;
        Assert.True(spreadMs > playedSeconds * 1000 * 0.5, $"highlights spread over {spreadMs} ms of {playedSeconds} s of audio");

        // The download is the chosen format and rate, as long as what played (mp3 adds its encoder's delay and padding).
        Assert.Equal("speech.mp3", result.GetProperty("downloadName").GetString());
        var downloaded = await File.ReadAllBytesAsync(result.GetProperty("downloadPath").GetString()!);
        var file = await ServerAudio.AnalyzeAsync(downloaded, "mp3");
        Assert.Equal(Rate, file.SampleRate);
        Assert.InRange(file.Seconds, playedSeconds - 0.01, playedSeconds + 0.3);
        Assert.True(file.RmsAmplitude > 0.01);

        // Copy as: the current choices, never the key; the copied curl command, run with the key in the environment,
        // gives the same audio, and so does the Node OpenAI SDK code.
        var snippets = result.GetProperty("snippets");
        foreach (var kind in new[] { "curl", "node", "python", "csharp" })
        {
            var code = snippets.GetProperty(kind).GetString()!;
            Assert.DoesNotContain(key, code, StringComparison.Ordinal);
            Assert.DoesNotContain("cw_live_", code, StringComparison.Ordinal);
            Assert.Contains("CALLWAITING_API_KEY", code, StringComparison.Ordinal);
            Assert.Contains(Voice, code, StringComparison.Ordinal);
            Assert.Contains("Every word lights up", code, StringComparison.Ordinal);
        }
        Assert.Contains("\"sample_rate\":22050", snippets.GetProperty("curl").GetString(), StringComparison.Ordinal);
        Assert.Contains("response_format=\"mp3\"", snippets.GetProperty("python").GetString(), StringComparison.Ordinal);
        Assert.Contains("\\\"format\\\":\\\"mp3\\\"", snippets.GetProperty("csharp").GetString(), StringComparison.Ordinal);
        var curl = result.GetProperty("clipboard").GetString()!;
        Assert.Equal(snippets.GetProperty("curl").GetString(), curl);

        var work = Directory.CreateTempSubdirectory("cw-playground-curl-").FullName;
        var run = await ProcessRunner.RunAsync("bash", ["-c", curl], new Dictionary<string, string?> { ["CALLWAITING_API_KEY"] = key }, work);
        Assert.True(run.ExitCode == 0, run.StandardError + run.StandardOutput);
        Assert.Equal(downloaded, await File.ReadAllBytesAsync(Path.Combine(work, "speech.mp3")));

        // Over the limit, Speak says so and sends nothing; Stop ends a long text's playback and its stream.
        var overLimit = result.GetProperty("overLimit");
        Assert.Equal("1201 / 1200 characters", overLimit.GetProperty("count").GetString());
        Assert.Equal("true", overLimit.GetProperty("invalid").GetString());
        Assert.Contains("longer than the server accepts", overLimit.GetProperty("alert").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, overLimit.GetProperty("requestsSent").GetInt32());
        var stop = result.GetProperty("stop");
        Assert.Equal(stop.GetProperty("fedAtStop").GetInt32(), stop.GetProperty("fedLater").GetInt32());
        Assert.True(stop.GetProperty("stopDisabled").GetBoolean());

        var node = await RunNodeSnippetAsync(snippets.GetProperty("node").GetString()!, key, Directory.CreateTempSubdirectory("cw-playground-node-").FullName);
        var nodeAudio = await ServerAudio.AnalyzeAsync(node, "mp3");
        Assert.InRange(nodeAudio.Seconds, playedSeconds - 0.01, playedSeconds + 0.3);
        Assert.True(nodeAudio.RmsAmplitude > 0.01);
    }

    // The snippet lives beside the openai package (imports resolve from the file) and runs in `work` (where it writes).
    private static async Task<byte[]> RunNodeSnippetAsync(string code, string key, string work)
    {
        var folder = NodeScript.Folder("openai-sdk");
        Assert.True(File.Exists(Path.Combine(folder, "node_modules", "openai", "package.json")),
            $"The openai npm package is not installed: run `npm ci --no-audit --no-fund` in {folder} (scripts/test.sh does).");
        var script = Path.Combine(folder, $"playground-snippet-{Guid.NewGuid():N}.mjs");
        await File.WriteAllTextAsync(script, code);
        try
        {
            var run = await ProcessRunner.RunAsync("node", [script], new Dictionary<string, string?> { ["CALLWAITING_API_KEY"] = key }, work);
            Assert.True(run.ExitCode == 0, run.StandardError + run.StandardOutput);
            return await File.ReadAllBytesAsync(Path.Combine(work, "speech.mp3"));
        }
        finally
        {
            File.Delete(script);
        }
    }

    private static string Screenshots()
    {
        var folder = Path.GetFullPath(Path.Combine(NodeScript.Folder("browser"), "..", "..", "..", "artifacts", "screenshots"));
        Directory.CreateDirectory(folder);
        return folder;
    }

    private static IEnumerable<string> Strings(JsonElement result, string name) =>
        result.GetProperty(name).EnumerateArray().Select(e => e.GetString()!);
}
