using System.Text.Json;

namespace CallWaiting.Server.Tests.Admin;

/// <summary>
/// The usage, request-log and system tabs of /admin in Debian's Chromium (playwright-core, tests/node/browser/insight.mjs):
/// the charts carry the figures of requests this test made, the CSV downloads, the log search finds a request by its
/// id, the system tab shows health and engines; no console error, nothing fetched from another origin.
/// </summary>
[Collection(InsightServersCollection.Name)]
public sealed class InsightBrowserTests(InsightServersFixture fixture)
{
    [Fact]
    public async Task An_operator_sees_charts_of_its_traffic_downloads_the_csv_finds_a_request_and_opens_the_system_tab()
    {
        var backend = fixture.Backend("postgres");
        var traffic = await InsightTraffic.MakeAsync(backend);
        var screenshots = Path.GetFullPath(Path.Combine(NodeScript.Folder("browser"), "..", "..", "..", "artifacts", "screenshots"));
        var output = await NodeScript.RunAsync("browser", "playwright-core", "insight.mjs", new Dictionary<string, string>
        {
            ["BASE_URL"] = backend.Server.BaseAddress.ToString(),
            ["API_KEY"] = backend.OperatorKey,
            ["TENANT_ID"] = traffic.Tenant.Id.ToString(),
            ["REQUEST_ID"] = traffic.ErrorRequestId,
            ["SCREENSHOTS"] = screenshots,
        }, TimeSpan.FromMinutes(2));
        using var document = JsonDocument.Parse(output);
        var result = document.RootElement;

        Assert.Empty(result.GetProperty("consoleErrors").EnumerateArray());
        Assert.Empty(result.GetProperty("pageErrors").EnumerateArray());
        Assert.Empty(result.GetProperty("failedRequests").EnumerateArray());
        Assert.Empty(result.GetProperty("offOrigin").EnumerateArray());

        // The per-day charts, narrowed to the test's tenant: its four requests, its characters, its audio in minutes,
        // one error in four, and three latency percentiles, p50 ≤ p95 ≤ p99 on each day with traffic.
        var charts = result.GetProperty("charts");
        Assert.Equal(4, Sum(charts, "usage-requests"));
        Assert.Equal(traffic.Characters, Sum(charts, "usage-characters"));
        Assert.InRange(Sum(charts, "usage-audio"), traffic.AudioSeconds / 60 - 0.001, traffic.AudioSeconds / 60 + 0.001);
        Assert.Contains(25.0, Data(charts, "usage-errors", 0));
        var latency = charts.GetProperty("usage-latency").GetProperty("datasets");
        Assert.Equal(["p50", "p95", "p99"], latency.EnumerateArray().Select(d => d.GetProperty("label").GetString()!).ToArray());
        var busiest = Array.IndexOf(Data(charts, "usage-requests", 0), Data(charts, "usage-requests", 0).Max());
        var percentiles = Enumerable.Range(0, 3).Select(i => Data(charts, "usage-latency", i)[busiest]).ToArray();
        Assert.True(percentiles[0] > 0 && percentiles[0] <= percentiles[1] && percentiles[1] <= percentiles[2], string.Join(", ", percentiles));
        var keys = charts.GetProperty("usage-keys");
        Assert.Equal([InsightTraffic.KeyName], keys.GetProperty("labels").EnumerateArray().Select(l => l.GetString()!).ToArray());
        Assert.Equal([4.0], Data(charts, "usage-keys", 0));

        var csv = result.GetProperty("csv");
        Assert.EndsWith(".csv", csv.GetProperty("fileName").GetString(), StringComparison.Ordinal);
        Assert.Contains($"{traffic.Key.Id},\"Acme \"\"main\"\", prod\",{traffic.Key.Prefix},{traffic.Tenant.Id},", csv.GetProperty("text").GetString(), StringComparison.Ordinal);

        var row = Assert.Single(result.GetProperty("requestRows").EnumerateArray()).EnumerateArray().Select(c => c.GetString()).ToArray();
        Assert.Contains(traffic.ErrorRequestId, row);
        Assert.Contains("404", row);

        Assert.Equal("healthy", result.GetProperty("system").GetProperty("Status").GetString());
        Assert.Contains("flite", result.GetProperty("engines").EnumerateArray().Select(e => e.GetString()));
        foreach (var file in result.GetProperty("screenshots").EnumerateArray())
            Assert.True(new FileInfo(file.GetString()!).Length > 10_000, file.GetString());
    }

    private static double[] Data(JsonElement charts, string id, int dataset) =>
        [.. charts.GetProperty(id).GetProperty("datasets")[dataset].GetProperty("data").EnumerateArray()
            .Select(v => v.ValueKind == JsonValueKind.Null ? 0 : v.GetDouble())];

    private static double Sum(JsonElement charts, string id) => Math.Round(Data(charts, id, 0).Sum(), 6, MidpointRounding.AwayFromZero);
}
