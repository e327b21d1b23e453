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
public sealed class ServerAgreementTests : IClassFixture<ScrapedServerFixture>
{
    // Labels Prometheus adds at scrape time, and the bucket label of histograms.
    private static readonly HashSet<string> ScrapeLabels = ["instance", "job", "le"];
    private readonly ScrapedServerFixture _server;

    /// <summary>Tests against the shared scraped server.</summary>
    public ServerAgreementTests(ScrapedServerFixture server) => _server = server;

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
}
