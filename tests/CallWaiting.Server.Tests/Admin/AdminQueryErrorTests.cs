using System.Net;
using static CallWaiting.Server.Tests.Api.ApiTestHttp;

namespace CallWaiting.Server.Tests.Admin;

/// <summary>Bad query input to the usage and request-log endpoints is a clear 400 with a stable code, on both databases.</summary>
[Collection(InsightServersCollection.Name)]
public sealed class AdminQueryErrorTests(InsightServersFixture fixture)
{
    public static TheoryData<string, string, string> Cases()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var provider in new[] { "postgres", "sqlite" })
        {
            foreach (var (query, code) in new[]
            {
                ("usage?from=2026-02-30", "invalid_date"),
                ("usage?to=06/12/2026", "invalid_date"),
                ("usage?from=2026-12-06&to=2026-12-01", "invalid_range"),
                ("usage?from=2026-01-01&to=2026-04-01", "range_too_long"),
                ("usage?group_by=week", "invalid_group_by"),
                ("usage?format=xml", "invalid_format"),
                ("usage?tenant_id=acme", "invalid_tenant_id"),
                ("usage?group_by=day&group_by=key", "invalid_group_by"),
                ("requests?limit=0", "invalid_limit"),
                ("requests?limit=201", "invalid_limit"),
                ("requests?limit=ten", "invalid_limit"),
                ("requests?status=6xx", "invalid_status"),
                ("requests?status=99", "invalid_status"),
                ("requests?before=not-a-cursor", "invalid_before"),
                ("requests?from=2026-12-06T10:00:00", "invalid_date"),
                ("requests?from=2026-12-06&to=2026-12-01", "invalid_range"),
                ("requests?from=2026-01-01&to=2026-04-01", "range_too_long"),
                ("requests?api_key_id=123", "invalid_api_key_id"),
            })
            {
                data.Add(provider, query, code);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Bad_input_is_a_400_that_names_the_problem(string provider, string query, string code)
    {
        var backend = fixture.Backend(provider);
        using var response = await GetAsync(backend.Client, $"v1/admin/{query}", backend.OperatorKey);
        var detail = await AssertErrorAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(code, (await ReadJsonAsync(response)).GetProperty("code").GetString());
        Assert.True(detail.Contains('\'', StringComparison.Ordinal) || detail.Contains("days", StringComparison.Ordinal), detail);
    }

    [Theory]
    [InlineData("postgres")]
    [InlineData("sqlite")]
    public async Task A_90_day_range_is_accepted_and_an_unknown_key_is_404(string provider)
    {
        var backend = fixture.Backend(provider);
        var days = await InsightTraffic.UsageAsync(backend, backend.OperatorKey, "from=2026-01-01&to=2026-03-31");
        Assert.Equal(90, days.Length);
        using var unknown = await GetAsync(backend.Client, $"v1/admin/usage?api_key_id={Guid.NewGuid()}", backend.OperatorKey);
        await AssertErrorAsync(unknown, HttpStatusCode.NotFound);
    }
}
