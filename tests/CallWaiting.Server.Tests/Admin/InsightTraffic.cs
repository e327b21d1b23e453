using System.Net;
using System.Text.Json;
using CallWaiting.Server.ApiKeys;
using CallWaiting.Server.Tenants;
using static CallWaiting.Server.Tests.Api.ApiTestHttp;

namespace CallWaiting.Server.Tests.Admin;

/// <summary>
/// Traffic a test makes itself and then finds in the admin reports: a fresh tenant (a name a spreadsheet would run as a
/// formula), a tts:write key whose name needs CSV quoting, the tenant's own admin key, three syntheses and one 404.
/// </summary>
internal sealed record InsightTraffic(Tenant Tenant, IssuedApiKey Key, IssuedApiKey TenantAdmin, IReadOnlyList<string> OkRequestIds,
    string ErrorRequestId, int Characters, double AudioSeconds)
{
    public const string KeyName = "Acme \"main\", prod";

    private static readonly string[] Texts = ["Usage analytics count this.", "A second sentence, a little longer than the first.", "Third."];

    public IEnumerable<string> RequestIds => [.. OkRequestIds, ErrorRequestId];

    /// <summary>Makes the traffic, then waits until both its request logs and its metered usage are in the database.</summary>
    public static async Task<InsightTraffic> MakeAsync(InsightBackend backend)
    {
        var suffix = Guid.NewGuid().ToString("N")[..10];
        var tenant = await backend.Store.Tenants.CreateAsync($"=SUM(1,2) Insight {suffix}", $"insight-{suffix}");
        var key = (await backend.Store.Keys.CreateKeysAsync(new CreateKeysRequest
        {
            Name = KeyName, TenantSlug = tenant.Slug, Scopes = Scopes.TtsWrite, RateLimitPerMin = 1000, RateLimitPerDay = 100_000,
        }))[0];
        var admin = (await backend.Store.Keys.CreateKeysAsync(new CreateKeysRequest
        {
            Name = "tenant admin", TenantSlug = tenant.Slug, Scopes = Scopes.Admin, RateLimitPerMin = 1000, RateLimitPerDay = 100_000,
        }))[0];

        var ids = new List<string>();
        var seconds = 0.0;
        foreach (var text in Texts)
        {
            using var response = await TtsAsync(backend.Client, key.Key, JsonSerializer.Serialize(new { text = $"{text} {suffix}", voice_id = "james-en-us", format = "wav" }));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            ids.Add(Header(response, "X-Request-ID"));
            seconds += (await ServerAudio.AnalyzeAsync(await response.Content.ReadAsByteArrayAsync(), "wav")).Seconds;
        }

        string errorId;
        using (var missing = await TtsAsync(backend.Client, key.Key, """{"text":"Nobody speaks this.","voice_id":"no-such-voice"}"""))
        {
            await AssertErrorAsync(missing, HttpStatusCode.NotFound);
            errorId = Header(missing, "X-Request-ID");
        }

        var traffic = new InsightTraffic(tenant, key, admin, ids, errorId, Texts.Sum(t => t.Length + 1 + suffix.Length), seconds);
        await WaitUntilAsync(async () =>
        {
            var row = (await UsageAsync(backend, backend.OperatorKey, $"group_by=key&api_key_id={key.Id}")).SingleOrDefault();
            return row.ValueKind == JsonValueKind.Object && row.GetProperty("requests").GetInt64() == 4
                && row.GetProperty("characters").GetInt64() == traffic.Characters;
        });
        return traffic;
    }

    /// <summary>GET /v1/admin/usage with the query (today ± 1 day unless it names from and to); asserts 200.</summary>
    public static async Task<JsonElement[]> UsageAsync(InsightBackend backend, string key, string query)
    {
        using var response = await GetAsync(backend.Client, $"v1/admin/usage?{DefaultRange(query)}", key);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return [.. (await ReadJsonAsync(response)).EnumerateArray()];
    }

    /// <summary>GET /v1/admin/requests with the query; asserts 200 and returns the page.</summary>
    public static async Task<JsonElement> RequestsAsync(InsightBackend backend, string key, string query)
    {
        using var response = await GetAsync(backend.Client, $"v1/admin/requests?{query}", key);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await ReadJsonAsync(response);
    }

    /// <summary>Adds from and to around today (UTC) when the query has neither, so a run across midnight still finds its traffic.</summary>
    public static string DefaultRange(string query) => query.Contains("from=", StringComparison.Ordinal) ? query
        : $"{query}&from={Today.AddDays(-1):yyyy-MM-dd}&to={Today.AddDays(1):yyyy-MM-dd}";

    public static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);

    /// <summary>Polls until the condition holds (metering writes in batches, off the request path); fails after 20 s.</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The traffic never showed in the admin reports.");
            await Task.Delay(100);
        }
    }
}
