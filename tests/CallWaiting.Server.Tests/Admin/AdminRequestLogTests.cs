using System.Globalization;
using System.Net;
using System.Text.Json;
using CallWaiting.Server.Tenants;
using static CallWaiting.Server.Tests.Api.ApiTestHttp;

namespace CallWaiting.Server.Tests.Admin;

/// <summary>GET /v1/admin/requests on PostgreSQL and SQLite: each filter, newest-first paging by cursor, and tenant scope.</summary>
[Collection(InsightServersCollection.Name)]
public sealed class AdminRequestLogTests(InsightServersFixture fixture)
{
    [Theory]
    [InlineData("postgres")]
    [InlineData("sqlite")]
    public async Task The_log_is_searched_by_request_id_key_status_and_time_newest_first_a_page_at_a_time(string provider)
    {
        var backend = fixture.Backend(provider);
        var traffic = await InsightTraffic.MakeAsync(backend);
        var key = $"api_key_id={traffic.Key.Id}";

        var all = Items(await InsightTraffic.RequestsAsync(backend, backend.OperatorKey, key));
        Assert.Equal(traffic.RequestIds.Order(), all.Select(Id).Order());
        var arrivals = all.Select(Arrival).ToArray();
        Assert.Equal(arrivals.OrderDescending(), arrivals);
        Assert.Equal(traffic.ErrorRequestId, all[0].GetProperty("request_id").GetString()); // the 404 came last

        var error = Assert.Single(Items(await InsightTraffic.RequestsAsync(backend, backend.OperatorKey, $"request_id={traffic.ErrorRequestId}")));
        Assert.Equal(404, error.GetProperty("status").GetInt32());
        Assert.Equal("POST", error.GetProperty("method").GetString());
        Assert.Equal("/v1/tts", error.GetProperty("endpoint").GetString());
        Assert.Equal(traffic.Tenant.Id, error.GetProperty("tenant_id").GetGuid());
        Assert.Equal(traffic.Key.Id, error.GetProperty("api_key_id").GetGuid());
        Assert.False(string.IsNullOrEmpty(error.GetProperty("error").GetString()));

        foreach (var (status, expected) in new[] { ("404", 1), ("4xx", 1), ("error", 1), ("2xx", 3), ("200", 3), ("500", 0) })
            Assert.Equal(expected, Items(await InsightTraffic.RequestsAsync(backend, backend.OperatorKey, $"{key}&status={status}")).Length);

        // Pages of three: the first names the next, the second is the rest and names none; nothing repeats or goes missing.
        var first = await InsightTraffic.RequestsAsync(backend, backend.OperatorKey, $"{key}&limit=3");
        var cursor = first.GetProperty("next_before").GetString();
        Assert.NotNull(cursor);
        var second = await InsightTraffic.RequestsAsync(backend, backend.OperatorKey, $"{key}&limit=3&before={Uri.EscapeDataString(cursor)}");
        Assert.Equal(JsonValueKind.Null, second.GetProperty("next_before").ValueKind);
        Assert.Equal(all.Select(Id), Items(first).Concat(Items(second)).Select(Id));

        // Time: from is inclusive, to exclusive.
        var newest = Uri.EscapeDataString(arrivals[0].ToString("O", CultureInfo.InvariantCulture));
        Assert.Equal(new[] { Id(all[0]) }, Items(await InsightTraffic.RequestsAsync(backend, backend.OperatorKey, $"{key}&from={newest}")).Select(Id));
        Assert.Equal(all[1..].Select(Id), Items(await InsightTraffic.RequestsAsync(backend, backend.OperatorKey, $"{key}&to={newest}")).Select(Id));
        // Days: a "to" day includes itself; the day before the first arrival holds none of them.
        var firstDay = DateOnly.FromDateTime(arrivals[^1].UtcDateTime);
        var lastDay = DateOnly.FromDateTime(arrivals[0].UtcDateTime);
        Assert.Equal(4, Items(await InsightTraffic.RequestsAsync(backend, backend.OperatorKey, $"{key}&from={firstDay:yyyy-MM-dd}&to={lastDay:yyyy-MM-dd}")).Length);
        Assert.Empty(Items(await InsightTraffic.RequestsAsync(backend, backend.OperatorKey, $"{key}&to={firstDay.AddDays(-1):yyyy-MM-dd}")));
    }

    [Theory]
    [InlineData("postgres")]
    [InlineData("sqlite")]
    public async Task A_tenant_admin_finds_its_own_requests_and_nothing_of_another_tenant(string provider)
    {
        var backend = fixture.Backend(provider);
        var traffic = await InsightTraffic.MakeAsync(backend);
        var operatorKeyId = await AdminUsageTests.KeyIdAsync(backend, backend.OperatorKey);
        string operatorRequest;
        using (var own = await GetAsync(backend.Client, "v1/voices", backend.OperatorKey)) operatorRequest = Header(own, "X-Request-ID");
        await InsightTraffic.WaitUntilAsync(async () =>
            Items(await InsightTraffic.RequestsAsync(backend, backend.OperatorKey, $"request_id={operatorRequest}")).Length == 1);

        var mine = Items(await InsightTraffic.RequestsAsync(backend, traffic.TenantAdmin.Key, "limit=200"));
        Assert.Superset(traffic.RequestIds.ToHashSet(), mine.Select(i => i.GetProperty("request_id").GetString()!).ToHashSet());
        Assert.All(mine, i => Assert.Equal(traffic.Tenant.Id, i.GetProperty("tenant_id").GetGuid()));
        Assert.Single(Items(await InsightTraffic.RequestsAsync(backend, traffic.TenantAdmin.Key, $"request_id={traffic.ErrorRequestId}")));
        // Another tenant's request is simply not found by a search; another tenant's ids are 404.
        Assert.Empty(Items(await InsightTraffic.RequestsAsync(backend, traffic.TenantAdmin.Key, $"request_id={operatorRequest}")));
        foreach (var query in new[] { $"tenant_id={Tenant.DefaultId}", $"api_key_id={operatorKeyId}" })
        {
            using var response = await GetAsync(backend.Client, $"v1/admin/requests?{query}", traffic.TenantAdmin.Key);
            await AssertErrorAsync(response, HttpStatusCode.NotFound);
        }

        using var notAdmin = await GetAsync(backend.Client, "v1/admin/requests", traffic.Key.Key);
        await AssertErrorAsync(notAdmin, HttpStatusCode.Forbidden);
    }

    private static JsonElement[] Items(JsonElement page) => [.. page.GetProperty("items").EnumerateArray()];

    private static string Id(JsonElement item) => item.GetProperty("request_id").GetString()!;

    private static DateTimeOffset Arrival(JsonElement item) => item.GetProperty("created_at").GetDateTimeOffset();
}
