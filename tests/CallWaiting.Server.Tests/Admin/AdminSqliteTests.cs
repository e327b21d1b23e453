using System.Net;
using CallWaiting.Server.Tests.Infrastructure;
using static CallWaiting.Server.Tests.Admin.AdminApiHttp;
using static CallWaiting.Server.Tests.Api.ApiTestHttp;

namespace CallWaiting.Server.Tests.Admin;

/// <summary>The admin API on SQLite (the in-process server): its audit log (migration 004) stores and lists what PostgreSQL does.</summary>
public sealed class AdminSqliteTests
{
    [Fact]
    public async Task Changes_are_audited_with_who_what_and_when_on_sqlite()
    {
        await using var server = new InProcessServer();
        var client = server.CreateClient();
        var tenant = await OkAsync(PostJsonAsync(client, "v1/admin/tenants", server.BootstrapKey, new { name = "Lite", slug = "lite" }), HttpStatusCode.Created);
        var tenantId = tenant.GetProperty("id").GetGuid();
        var key = await OkAsync(PostJsonAsync(client, "v1/admin/keys", server.BootstrapKey, new { tenant_id = tenantId, name = "lite key" }), HttpStatusCode.Created);
        await OkAsync(SendAsync(client, HttpMethod.Post, $"v1/admin/keys/{key.GetProperty("id").GetGuid()}/revoke", server.BootstrapKey));
        var caller = (await OkAsync(GetAsync(client, "v1/auth/verify", server.BootstrapKey))).GetProperty("api_key_id").GetGuid();

        var audit = (await OkAsync(GetAsync(client, "v1/admin/audit", server.BootstrapKey))).EnumerateArray().ToList();
        Assert.Equal(new[] { "key.revoke", "key.create", "tenant.create" }, audit.Select(e => e.GetProperty("action").GetString()).ToArray());
        Assert.All(audit, e =>
        {
            Assert.Equal(caller, e.GetProperty("api_key_id").GetGuid());
            Assert.Equal(tenantId, e.GetProperty("tenant_id").GetGuid());
            Assert.Equal(server.Clock.GetUtcNow(), e.GetProperty("at").GetDateTimeOffset());
        });
        Assert.Equal(key.GetProperty("id").GetGuid().ToString(), audit[0].GetProperty("target").GetString());
        Assert.Contains("\"name\":\"Lite\"", audit[2].GetProperty("details").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(key.GetProperty("key").GetString()!, string.Join(" ", audit.Select(e => e.GetRawText())), StringComparison.Ordinal);
    }
}
