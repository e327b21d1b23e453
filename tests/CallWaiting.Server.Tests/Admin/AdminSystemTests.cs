using System.Diagnostics;
using System.Net;
using System.Text.Json;
using static CallWaiting.Server.Tests.Api.ApiTestHttp;

namespace CallWaiting.Server.Tests.Admin;

/// <summary>GET /v1/admin/system: engines, workers and a restart the test causes, cache figures equal to /metrics, health, build.</summary>
[Collection(InsightServersCollection.Name)]
public sealed class AdminSystemTests(InsightServersFixture fixture)
{
    [Theory]
    [InlineData("postgres")]
    [InlineData("sqlite")]
    public async Task The_system_page_reports_what_health_and_metrics_see_and_a_killed_worker_as_a_restart(string provider)
    {
        var backend = fixture.Backend(provider);
        var before = await SystemAsync(backend);
        Assert.Equal("healthy", before.GetProperty("status").GetString());
        Assert.Equal(provider, before.GetProperty("database").GetProperty("provider").GetString());
        Assert.True(before.GetProperty("database").GetProperty("healthy").GetBoolean());
        Assert.Equal(provider == "postgres", before.GetProperty("redis").GetProperty("configured").GetBoolean());
        Assert.True(before.GetProperty("redis").GetProperty("healthy").GetBoolean());
        Assert.False(string.IsNullOrWhiteSpace(before.GetProperty("build").GetProperty("version").GetString()));
        Assert.StartsWith(".NET 10", before.GetProperty("build").GetProperty("runtime").GetString(), StringComparison.Ordinal);
        var engines = before.GetProperty("engines").EnumerateArray().ToDictionary(e => e.GetProperty("name").GetString()!);
        Assert.True(engines["flite"].GetProperty("ready").GetBoolean());
        Assert.True(engines["espeak"].GetProperty("voices").GetInt32() > 0);
        var workers = before.GetProperty("workers");
        Assert.Equal(1, workers.GetProperty("configured").GetInt32());
        var pid = Assert.Single(workers.GetProperty("process_ids").EnumerateArray()).GetInt32();
        Assert.Equal(0, workers.GetProperty("queue_depth").GetInt32());

        // A synthesis twice: a miss, then a hit; the page's counts are the ones /metrics exports.
        var text = JsonSerializer.Serialize(new { text = $"Cache me {Guid.NewGuid():N}.", voice_id = "james-en-us", format = "mp3" });
        foreach (var expected in new[] { "MISS", "HIT" })
        {
            using var tts = await TtsAsync(backend.Client, backend.OperatorKey, text);
            Assert.Equal(expected, Header(tts, "X-Cache"));
        }

        var cache = (await SystemAsync(backend)).GetProperty("cache");
        var byResult = cache.GetProperty("by_result").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64());
        foreach (var (result, count) in byResult)
            Assert.Equal(count, await MetricAsync(backend.Client, $"tts_cache_lookups_total{{result=\"{result}\"}}"));
        Assert.Equal(byResult.Values.Sum(), cache.GetProperty("lookups").GetInt64());
        Assert.Equal(byResult.Values.Sum() - byResult["miss"], cache.GetProperty("hits").GetInt64());
        Assert.True(cache.GetProperty("hits").GetInt64() >= before.GetProperty("cache").GetProperty("hits").GetInt64() + 1);
        Assert.Equal(Math.Round((double)cache.GetProperty("hits").GetInt64() / cache.GetProperty("lookups").GetInt64(), 4), cache.GetProperty("hit_rate").GetDouble());

        // Kill the worker: the pool replaces it and the page counts the restart.
        Process.GetProcessById(pid).Kill();
        var restarts = workers.GetProperty("restarts").GetInt64();
        JsonElement after = default;
        await InsightTraffic.WaitUntilAsync(async () =>
        {
            after = (await SystemAsync(backend)).GetProperty("workers");
            return after.GetProperty("restarts").GetInt64() == restarts + 1 && after.GetProperty("process_ids").GetArrayLength() == 1;
        });
        Assert.NotEqual(pid, after.GetProperty("process_ids")[0].GetInt32());
        Assert.Equal(restarts + 1, await MetricAsync(backend.Client, "tts_engine_worker_restarts"));
    }

    [Theory]
    [InlineData("postgres")]
    [InlineData("sqlite")]
    public async Task Only_the_operator_reads_the_system_page(string provider)
    {
        var backend = fixture.Backend(provider);
        var traffic = await InsightTraffic.MakeAsync(backend);
        using var tenantAdmin = await GetAsync(backend.Client, "v1/admin/system", traffic.TenantAdmin.Key);
        Assert.Equal("operator_only", (await ReadJsonAsync(tenantAdmin)).GetProperty("code").GetString());
        await AssertErrorAsync(tenantAdmin, HttpStatusCode.Forbidden);
        using var notAdmin = await GetAsync(backend.Client, "v1/admin/system", traffic.Key.Key);
        await AssertErrorAsync(notAdmin, HttpStatusCode.Forbidden);
    }

    private static async Task<JsonElement> SystemAsync(InsightBackend backend)
    {
        using var response = await GetAsync(backend.Client, "v1/admin/system", backend.OperatorKey);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await ReadJsonAsync(response);
    }
}
