using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using CallWaiting.Server.Tests.Api;
using CallWaiting.Server.Tests.Infrastructure;
using CallWaiting.Server.Tests.Realtime;

namespace CallWaiting.Server.Tests.Deploy;

/// <summary>One server (embedded SQLite) after some traffic, and its /metrics: sample name → label names seen.</summary>
public sealed partial class ScrapedServerFixture : IAsyncLifetime
{
    /// <summary>The running server.</summary>
    public ServerProcess Server { get; private set; } = null!;

    /// <summary>Every exported sample name (histograms' _bucket, _sum and _count included) with the label names it carries.</summary>
    public Dictionary<string, HashSet<string>> Samples { get; } = [];

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        var data = new Dictionary<string, string?> { ["CALLWAITING_DATA_DIR"] = Directory.CreateTempSubdirectory("cw-deploy-").FullName };
        Server = await ServerProcess.StartAsync(new Dictionary<string, string?>(data) { ["CALLWAITING_RateLimits__PerIpPerMinute"] = "10" });
        var client = Server.Client;
        const string speech = """{"text":"Metrics check.","voice_id":"emily-en-us","format":"wav"}""";
        for (var i = 0; i < 2; i++)
        {
            using var tts = await ApiTestHttp.TtsAsync(client, Server.BootstrapKey, speech);
            Assert.Equal(HttpStatusCode.OK, tts.StatusCode);
        }

        var socket = await RealtimeTestClient.ConnectAsync(new Uri($"ws://{Server.BaseAddress.Authority}/v1/tts/ws"), Server.BootstrapKey);
        await socket.DisposeAsync();
        (await ApiTestHttp.GetAsync(client, "/v1/voices", "cw_live_" + new string('x', 40))).Dispose();

        // A key allowed one request a minute, used twice; then requests past the address's 10 a minute.
        var created = await ServerCli.RunAsync(data, "keys", "create", "--name", "one-a-minute", "--rate-limit-per-min", "1", "--json");
        Assert.True(created.ExitCode == 0, created.StandardError);
        var limitedKey = JsonDocument.Parse(created.StandardOutput).RootElement.GetProperty("key").GetString();
        (await ApiTestHttp.GetAsync(client, "/v1/voices", limitedKey)).Dispose();
        using (var refused = await ApiTestHttp.GetAsync(client, "/v1/voices", limitedKey)) Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            using var response = await ApiTestHttp.GetAsync(client, "/v1/voices", Server.BootstrapKey);
            statuses.Add(response.StatusCode);
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);

        // The WebSocket's close is counted when the server's side of the session ends, a moment after the client's.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            await ScrapeAsync(client);
            if (Samples.ContainsKey("tts_ws_sessions_closed_total") || DateTime.UtcNow > deadline) break;
            await Task.Delay(100);
        }
    }

    private async Task ScrapeAsync(HttpClient client)
    {
        Samples.Clear();
        var text = await client.GetStringAsync("/metrics");
        foreach (Match sample in SampleLine().Matches(text))
        {
            var labels = Samples.TryGetValue(sample.Groups["name"].Value, out var set) ? set : Samples[sample.Groups["name"].Value] = [];
            foreach (Capture label in sample.Groups["label"].Captures) labels.Add(label.Value);
        }
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (Server is not null) await Server.DisposeAsync();
    }

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(?:(?<label>[a-zA-Z_]\w*)=""(?:[^""\\]|\\.)*"",?)*\})? ", RegexOptions.Multiline)]
    private static partial Regex SampleLine();
}
