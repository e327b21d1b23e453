using System.Diagnostics;
using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using CallWaiting.Server.Tests.Infrastructure;
using CallWaiting.Server.Tests.Realtime;
using static CallWaiting.Server.Tests.Api.ApiTestHttp;

namespace CallWaiting.Server.Tests.Revocation;

/// <summary>
/// The CLI run beside a live embedded server (SQLite, no Redis): revocations, suspensions and tenant suspensions reach
/// the server within 2 s, through the database's key-change feed, although its verification cache holds keys for 30 s.
/// </summary>
public sealed class EmbeddedRevocationTests(EmbeddedServerFixture fixture) : IClassFixture<EmbeddedServerFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(2);

    [Theory]
    [InlineData("revoke", "api_key_revoked")]
    [InlineData("suspend", "api_key_suspended")]
    public async Task A_key_changed_by_the_cli_is_refused_within_2_seconds(string verb, string code)
    {
        var (id, key) = (await CreateKeysAsync("default", 1)).Single();
        await AssertCachedAsync(key);

        await RunCliAsync("keys", verb, id);
        var (status, body, elapsed) = await WaitWhileOkAsync(key);

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal(code, body.GetProperty("code").GetString());
        Assert.True(elapsed < Deadline, $"the server refused the key after {elapsed}");
    }

    [Fact]
    public async Task A_tenant_suspended_by_the_cli_loses_all_its_keys_within_2_seconds_and_regains_them_when_activated()
    {
        var slug = "suspend-" + Guid.NewGuid().ToString("N")[..8];
        await RunCliAsync("tenants", "create", "--name", "Suspended Ltd", "--slug", slug);
        var keys = await CreateKeysAsync(slug, 2);
        var (_, bystander) = (await CreateKeysAsync("default", 1)).Single();
        foreach (var (_, key) in keys) await AssertCachedAsync(key);
        await AssertCachedAsync(bystander);

        await RunCliAsync("tenants", "suspend", slug);
        foreach (var (_, key) in keys)
        {
            var (status, body, elapsed) = await WaitWhileOkAsync(key);
            Assert.Equal(HttpStatusCode.Forbidden, status);
            Assert.Equal("api_key_suspended", body.GetProperty("code").GetString());
            Assert.True(elapsed < Deadline, $"the server refused the tenant's key after {elapsed}");
        }

        using (var other = await GetAsync(fixture.Server.Client, "v1/auth/verify", bystander))
            Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        var listed = (await RunCliAsync("tenants", "list", "--json")).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement).Single(t => t.GetProperty("slug").GetString() == slug);
        Assert.Equal("suspended", listed.GetProperty("status").GetString());

        await RunCliAsync("tenants", "activate", slug);
        foreach (var (_, key) in keys)
        {
            using var restored = await GetAsync(fixture.Server.Client, "v1/auth/verify", key);
            Assert.Equal(HttpStatusCode.OK, restored.StatusCode);
        }
    }

    [Theory]
    [InlineData("key", "API key has been revoked.")]
    [InlineData("tenant", "API key is suspended.")]
    public async Task A_websocket_session_ends_with_1008_when_its_key_is_revoked_or_its_tenant_suspended_and_others_go_on(string change, string reason)
    {
        var tenant = "default";
        if (change == "tenant")
        {
            tenant = "ws-" + Guid.NewGuid().ToString("N")[..8];
            await RunCliAsync("tenants", "create", "--name", "Calls Ltd", "--slug", tenant);
        }
        var (id, key) = (await CreateKeysAsync(tenant, 1)).Single();
        var (_, bystanderKey) = (await CreateKeysAsync("default", 1)).Single();
        var uri = new Uri($"ws://{fixture.Server.BaseAddress.Authority}/v1/tts/ws");
        await using var session = await RealtimeTestClient.ConnectAsync(uri, key);
        await using var bystander = await RealtimeTestClient.ConnectAsync(uri, bystanderKey);
        foreach (var client in new[] { session, bystander })
        {
            await client.SendAsync("""{"voice_id":"emily-en-us","format":"pcm16"}""");
            await client.SendAsync("""{"text":"Hello there.","flush":true}""");
            await client.WaitForAsync(f => f.Type == WebSocketMessageType.Binary, what: "audio before the change");
        }

        if (change == "key") await RunCliAsync("keys", "revoke", id);
        else await RunCliAsync("tenants", "suspend", tenant);

        var close = await session.WaitForCloseAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, close.CloseStatus);
        Assert.Equal(reason, close.CloseReason);
        var spoken = bystander.Frames.Count(f => f.Type == WebSocketMessageType.Binary);
        await bystander.SendAsync("""{"text":"Still here.","flush":true}""");
        await bystander.WaitForAsync(_ => bystander.Frames.Count(f => f.Type == WebSocketMessageType.Binary) > spoken, what: "audio after the change");
        Assert.DoesNotContain(bystander.Frames, f => f.Type == WebSocketMessageType.Close);
    }

    [Fact]
    public async Task A_websocket_session_ends_with_1008_when_its_key_expires_and_a_key_expiring_next_year_speaks()
    {
        var uri = new Uri($"ws://{fixture.Server.BaseAddress.Authority}/v1/tts/ws");
        var soon = DateTimeOffset.UtcNow.AddSeconds(4).ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        var later = DateTimeOffset.UtcNow.AddYears(1).ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        var expiring = ParseKey(await RunCliAsync("keys", "create", "--name", "expiring", "--expires", soon, "--json"));
        var lasting = ParseKey(await RunCliAsync("keys", "create", "--name", "lasting", "--expires", later, "--json"));
        await using var session = await RealtimeTestClient.ConnectAsync(uri, expiring);
        await using var other = await RealtimeTestClient.ConnectAsync(uri, lasting);
        foreach (var client in new[] { session, other })
        {
            await client.SendAsync("""{"voice_id":"emily-en-us","format":"pcm16"}""");
            await client.SendAsync("""{"text":"Hello there.","flush":true}""");
            await client.WaitForAsync(f => f.Type == WebSocketMessageType.Binary, what: "audio");
        }

        var close = await session.WaitForCloseAsync(TimeSpan.FromSeconds(15));
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, close.CloseStatus);
        Assert.Equal("API key has expired.", close.CloseReason);
        Assert.DoesNotContain(other.Frames, f => f.Type == WebSocketMessageType.Close);
    }

    private static string ParseKey(string json) => JsonDocument.Parse(json.Split('\n', StringSplitOptions.RemoveEmptyEntries).Single()).RootElement.GetProperty("key").GetString()!;

    [Fact]
    public async Task Suspending_an_unknown_tenant_fails_with_a_clear_message()
    {
        var result = await ServerCli.RunAsync(fixture.Environment, "tenants", "suspend", "no-such-tenant");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("No tenant with slug 'no-such-tenant'", result.StandardError);
    }

    private async Task<List<(string Id, string Key)>> CreateKeysAsync(string tenant, int count)
    {
        var output = await RunCliAsync("keys", "create", "--name", "revocation", "--tenant", tenant, "-n", count.ToString(), "--json");
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement)
            .Select(k => (k.GetProperty("id").GetString()!, k.GetProperty("key").GetString()!))
            .ToList();
    }

    private async Task<string> RunCliAsync(params string[] args)
    {
        var result = await ServerCli.RunAsync(fixture.Environment, args);
        Assert.True(result.ExitCode == 0, $"{string.Join(' ', args)}: {result.StandardError}");
        return result.StandardOutput;
    }

    // Two successful uses: the first verifies with scrypt and caches the key, the second is served from the cache.
    private async Task AssertCachedAsync(string key)
    {
        for (var i = 0; i < 2; i++)
        {
            using var response = await GetAsync(fixture.Server.Client, "v1/auth/verify", key);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    // Polls every 50 ms while the key still works, for up to 5 s (past the 2 s deadline, so a slow success is measured rather than cut off).
    private async Task<(HttpStatusCode Status, JsonElement Body, TimeSpan Elapsed)> WaitWhileOkAsync(string key)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            using var response = await GetAsync(fixture.Server.Client, "v1/auth/verify", key);
            if (response.StatusCode != HttpStatusCode.OK || clock.Elapsed > TimeSpan.FromSeconds(5))
                return (response.StatusCode, await ReadJsonAsync(response), clock.Elapsed);
            await Task.Delay(50);
        }
    }
}
