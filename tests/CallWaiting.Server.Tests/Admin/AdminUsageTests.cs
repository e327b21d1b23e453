using System.Net;
using System.Net.Http.Headers;
using CallWaiting.Server.Tenants;
using Dapper;
using static CallWaiting.Server.Tests.Api.ApiTestHttp;

namespace CallWaiting.Server.Tests.Admin;

/// <summary>GET /v1/admin/usage on PostgreSQL and SQLite: figures proven against requests the test made, CSV, grouping, tenant scope.</summary>
[Collection(InsightServersCollection.Name)]
public sealed class AdminUsageTests(InsightServersFixture fixture)
{
    [Theory]
    [InlineData("postgres")]
    [InlineData("sqlite")]
    public async Task Usage_counts_the_requests_characters_audio_errors_and_latency_percentiles_of_the_test_traffic(string provider)
    {
        var backend = fixture.Backend(provider);
        var traffic = await InsightTraffic.MakeAsync(backend);

        var row = Assert.Single(await InsightTraffic.UsageAsync(backend, backend.OperatorKey, $"group_by=key&api_key_id={traffic.Key.Id}"));
        Assert.Equal(traffic.Key.Id, row.GetProperty("api_key_id").GetGuid());
        Assert.Equal(InsightTraffic.KeyName, row.GetProperty("api_key_name").GetString());
        Assert.Equal(traffic.Key.Prefix, row.GetProperty("api_key_prefix").GetString());
        Assert.Equal(traffic.Tenant.Id, row.GetProperty("tenant_id").GetGuid());
        Assert.Equal(4, row.GetProperty("requests").GetInt64());
        Assert.Equal(1, row.GetProperty("errors").GetInt64());
        Assert.Equal(0.25, row.GetProperty("error_rate").GetDouble());
        Assert.Equal(traffic.Characters, row.GetProperty("characters").GetInt64());
        // Charged audio is the audio sent: what sox decoded from the three answers.
        Assert.InRange(row.GetProperty("audio_seconds").GetDouble(), traffic.AudioSeconds - 0.01, traffic.AudioSeconds + 0.01);

        // Nearest-rank percentiles of the four logged latencies, computed here from the rows the server logged.
        await using var connection = await backend.Store.Database.OpenConnectionAsync();
        var durations = (await connection.QueryAsync<double>("SELECT duration_ms FROM request_logs WHERE api_key_id = @Id", new { traffic.Key.Id }))
            .Order().ToArray();
        Assert.Equal(4, durations.Length);
        Assert.Equal(Math.Round(durations[1], 2), row.GetProperty("p50_ms").GetDouble());
        Assert.Equal(Math.Round(durations[3], 2), row.GetProperty("p95_ms").GetDouble());
        Assert.Equal(Math.Round(durations[3], 2), row.GetProperty("p99_ms").GetDouble());
        Assert.True(durations[1] < durations[3], "four requests of different work took different times");

        // By day: every day of the range in order, the traffic on today (or split across midnight), quiet days as zeros.
        var days = await InsightTraffic.UsageAsync(backend, backend.OperatorKey, $"group_by=day&tenant_id={traffic.Tenant.Id}");
        Assert.Equal(
            [InsightTraffic.Today.AddDays(-1), InsightTraffic.Today, InsightTraffic.Today.AddDays(1)],
            days.Select(d => DateOnly.Parse(d.GetProperty("day").GetString()!, System.Globalization.CultureInfo.InvariantCulture)).ToArray());
        Assert.Equal(4, days.Sum(d => d.GetProperty("requests").GetInt64()));
        Assert.Equal(traffic.Characters, days.Sum(d => d.GetProperty("characters").GetInt64()));
        Assert.All(days.Where(d => d.GetProperty("requests").GetInt64() == 0), d => Assert.Equal(System.Text.Json.JsonValueKind.Null, d.GetProperty("p50_ms").ValueKind));
        Assert.All(days, d => Assert.False(d.TryGetProperty("tenant_id", out _)));

        // By tenant, for the operator: every tenant with traffic, this one with its name.
        var tenants = await InsightTraffic.UsageAsync(backend, backend.OperatorKey, "group_by=tenant");
        var mine = Assert.Single(tenants, t => t.TryGetProperty("tenant_id", out var id) && id.GetGuid() == traffic.Tenant.Id);
        Assert.Equal(traffic.Tenant.Name, mine.GetProperty("tenant_name").GetString());
        Assert.Equal(4, mine.GetProperty("requests").GetInt64());
        var requests = tenants.Select(t => t.GetProperty("requests").GetInt64()).ToArray();
        Assert.Equal(requests.OrderDescending(), requests); // busiest first
    }

    [Theory]
    [InlineData("postgres")]
    [InlineData("sqlite")]
    public async Task The_csv_export_has_the_rows_quoted_with_a_filename_and_accept_text_csv_gives_the_same(string provider)
    {
        var backend = fixture.Backend(provider);
        var traffic = await InsightTraffic.MakeAsync(backend);
        var query = InsightTraffic.DefaultRange($"group_by=key&tenant_id={traffic.Tenant.Id}");

        using var download = await GetAsync(backend.Client, $"v1/admin/usage?{query}&format=csv", backend.OperatorKey);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("text/csv", download.Content.Headers.ContentType?.MediaType);
        var disposition = download.Content.Headers.ContentDisposition;
        Assert.Equal("attachment", disposition?.DispositionType);
        Assert.Equal($"callwaiting-usage-by-key-{InsightTraffic.Today.AddDays(-1):yyyy-MM-dd}-to-{InsightTraffic.Today.AddDays(1):yyyy-MM-dd}.csv",
            disposition?.FileNameStar ?? disposition?.FileName);
        var csv = await download.Content.ReadAsStringAsync();

        var lines = csv.Split("\r\n");
        Assert.Equal(3, lines.Length); // header, this tenant's one key with traffic, and the empty string after the last CRLF
        Assert.Equal("", lines[2]);
        Assert.Equal("api_key_id,api_key_name,api_key_prefix,tenant_id,tenant_name,requests,characters,audio_seconds,errors,error_rate,p50_ms,p95_ms,p99_ms", lines[0]);
        // The key's name holds a comma and quotes; the tenant's name starts like a formula, so it gets an apostrophe.
        var expectedStart = $"{traffic.Key.Id},\"Acme \"\"main\"\", prod\",{traffic.Key.Prefix},{traffic.Tenant.Id},\"'{traffic.Tenant.Name}\",4,{traffic.Characters},";
        Assert.StartsWith(expectedStart, lines[1], StringComparison.Ordinal);
        var figures = lines[1][expectedStart.Length..].Split(',');
        Assert.Equal("1", figures[1]);
        Assert.Equal("0.25", figures[2]);
        Assert.All(figures[3..], f => Assert.True(double.Parse(f, System.Globalization.CultureInfo.InvariantCulture) > 0));

        using var request = new HttpRequestMessage(HttpMethod.Get, $"v1/admin/usage?{query}");
        Authorize(request, backend.OperatorKey);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
        using var negotiated = await backend.Client.SendAsync(request);
        Assert.Equal("text/csv", negotiated.Content.Headers.ContentType?.MediaType);
        Assert.Equal(csv, await negotiated.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("postgres")]
    [InlineData("sqlite")]
    public async Task A_tenant_admin_sees_only_its_tenant_and_other_ids_are_404_and_other_keys_403(string provider)
    {
        var backend = fixture.Backend(provider);
        var traffic = await InsightTraffic.MakeAsync(backend);
        var operatorKeyId = await KeyIdAsync(backend, backend.OperatorKey);

        var own = await InsightTraffic.UsageAsync(backend, traffic.TenantAdmin.Key, "group_by=tenant");
        Assert.Equal(traffic.Tenant.Id, Assert.Single(own).GetProperty("tenant_id").GetGuid());
        var keys = await InsightTraffic.UsageAsync(backend, traffic.TenantAdmin.Key, "group_by=key");
        Assert.All(keys, k => Assert.Equal(traffic.Tenant.Id, k.GetProperty("tenant_id").GetGuid()));
        Assert.Equal(4, keys.Single(k => k.GetProperty("api_key_id").GetGuid() == traffic.Key.Id).GetProperty("requests").GetInt64());

        foreach (var query in new[] { $"tenant_id={Tenant.DefaultId}", $"api_key_id={operatorKeyId}", $"api_key_id={Guid.NewGuid()}" })
        {
            using var response = await GetAsync(backend.Client, $"v1/admin/usage?{query}", traffic.TenantAdmin.Key);
            await AssertErrorAsync(response, HttpStatusCode.NotFound);
        }

        using var notAdmin = await GetAsync(backend.Client, "v1/admin/usage", traffic.Key.Key);
        await AssertErrorAsync(notAdmin, HttpStatusCode.Forbidden);
        using var anonymous = await GetAsync(backend.Client, "v1/admin/usage", null);
        await AssertErrorAsync(anonymous, HttpStatusCode.Unauthorized);
    }

    internal static async Task<Guid> KeyIdAsync(InsightBackend backend, string key)
    {
        using var verify = await GetAsync(backend.Client, "v1/auth/verify", key);
        return (await ReadJsonAsync(verify)).GetProperty("api_key_id").GetGuid();
    }
}
