using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using CallWaiting.Server.Tests.Api;
using CallWaiting.Server.Tests.Infrastructure;
using CallWaiting.Server.Tests.Realtime;

namespace CallWaiting.Server.Tests.Deploy;

/// <summary>
/// The deployment files against a real server: every metric and label the alert rules, the dashboard and the autoscaler
/// query is one its /metrics exports, and every probe path answers 200. The server gets a little traffic first (speech,
/// a cache hit, a WebSocket session, a refused key, per-key and per-address refusals) so labelled metrics have samples to compare with.
/// </summary>
public sealed partial class ServerAgreementTests : IClassFixture<ServerAgreementTests.ScrapedServer>
{
    // Labels Prometheus adds at scrape time, and the bucket label of histograms.
    private static readonly HashSet<string> ScrapeLabels = ["instance", "job", "le"];
    private readonly ScrapedServer _server;

    public ServerAgreementTests(ScrapedServer server) => _server = server;

    public static TheoryData<string, string> Queries()
    {
        var data = new TheoryData<string, string>();
        foreach (var rule in DeployFiles.Yaml("deploy/monitoring/alerts.yml").Items("groups").SelectMany(g => g.Items("rules")))
        {
            data.Add("alert " + rule.Text("alert"), rule.Text("expr")!);
        }

        using var dashboard = JsonDocument.Parse(DeployFiles.Read("deploy/monitoring/grafana-dashboard.json"));
        foreach (var panel in dashboard.RootElement.GetProperty("panels").EnumerateArray())
        {
            foreach (var target in panel.GetProperty("targets").EnumerateArray())
            {
                data.Add($"panel {panel.GetProperty("title").GetString()} {target.GetProperty("refId").GetString()}", target.GetProperty("expr").GetString()!);
            }
        }

        foreach (var metric in DeployFiles.Yaml("deploy/k8s/base/hpa.yaml").Items("spec", "metrics").Select(m => m.Text("pods", "metric", "name")).OfType<string>())
        {
            data.Add("hpa " + metric, metric);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Queries))]
    public void Query_uses_only_exported_metrics_and_labels(string where, string expression)
    {
        var metrics = PromQl.MetricNames(expression);
        Assert.NotEmpty(metrics);
        var missing = metrics.Where(m => !_server.Samples.ContainsKey(m)).ToList();
        Assert.True(missing.Count == 0, $"{where}: not exported: {string.Join(", ", missing)}");

        var known = metrics.SelectMany(m => _server.Samples[m]).Concat(ScrapeLabels).ToHashSet();
        var unknown = PromQl.LabelNames(expression).Where(l => !known.Contains(l)).ToList();
        Assert.True(unknown.Count == 0, $"{where}: labels {string.Join(", ", unknown)} not on {string.Join(", ", metrics)}");
    }

    [Fact]
    public void The_extraction_finds_names_and_a_wrong_name_fails()
    {
        const string expression = "sum by (le) (rate(tts_generation_duration_seconds_bucket{status=~\"5..\"}[5m])) / clamp_min(x_total, 1e-9)";
        Assert.Equal(["tts_generation_duration_seconds_bucket", "x_total"], PromQl.MetricNames(expression).Order());
        Assert.Equal(["le", "status"], PromQl.LabelNames(expression).Order());
        Assert.False(_server.Samples.ContainsKey("x_total"));
        Assert.DoesNotContain("route", _server.Samples["http_requests_total"]);
    }

    [Fact]
    public async Task Every_probe_path_in_the_deployment_files_answers_200()
    {
        var paths = ProbePaths().ToHashSet();
        Assert.Equal(["/health", "/ready"], paths.Order());
        foreach (var path in paths)
        {
            using var response = await _server.Server.Client.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode}");
        }
    }

    private static IEnumerable<string> ProbePaths()
    {
        yield return Regex.Match(DeployFiles.Read("Dockerfile"), @"GET (?<path>/\w+) HTTP").Groups["path"].Value;
        var container = DeployFiles.Yaml("deploy/k8s/base/deployment.yaml").Items("spec", "template", "spec", "containers").Single();
        foreach (var probe in new[] { "startupProbe", "readinessProbe", "livenessProbe" }) yield return container.Text(probe, "httpGet", "path")!;
    }

    /// <summary>One server (embedded SQLite) after some traffic, and its /metrics: sample name → label names seen.</summary>
    public sealed class ScrapedServer : IAsyncLifetime
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
            do
            {
                Samples.Clear();
                var text = await client.GetStringAsync("/metrics");
                foreach (Match sample in SampleLine().Matches(text))
                {
                    var labels = Samples.TryGetValue(sample.Groups["name"].Value, out var set) ? set : Samples[sample.Groups["name"].Value] = [];
                    foreach (Capture label in sample.Groups["label"].Captures) labels.Add(label.Value);
                }
            }
            while (!Samples.ContainsKey("tts_ws_sessions_closed_total") && DateTime.UtcNow < deadline && await Delay());
        }

        private static async Task<bool> Delay()
        {
            await Task.Delay(100);
            return true;
        }

        /// <inheritdoc />
        public async Task DisposeAsync()
        {
            if (Server is not null) await Server.DisposeAsync();
        }
    }

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(?:(?<label>[a-zA-Z_]\w*)=""(?:[^""\\]|\\.)*"",?)*\})? ", RegexOptions.Multiline)]
    private static partial Regex SampleLine();
}
