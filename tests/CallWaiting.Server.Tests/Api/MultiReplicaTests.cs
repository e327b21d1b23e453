using System.Diagnostics;
using System.Net;
using CallWaiting.Server.Tests.Infrastructure;
using Dapper;
using static CallWaiting.Server.Tests.Api.ApiTestHttp;

namespace CallWaiting.Server.Tests.Api;

/// <summary>Two server processes sharing PostgreSQL and Redis: one limit across both, revocation everywhere within 2 s, exact metering, shutdown flush.</summary>
public sealed class MultiReplicaTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task A_key_limit_holds_exactly_across_two_replicas_and_a_revocation_reaches_both_within_2_seconds()
    {
        await using var second = await ServerProcess.StartAsync(fixture.Environment());
        await RateLimiting.RedisWindowHeadroom.EnsureMinuteHeadroomAsync(fixture.RedisFixture.AdminServer, TimeSpan.FromSeconds(20));
        var limited = await fixture.Store.CreateKeyAsync(perMinute: 10);
        var clients = new[] { fixture.Server.Client, second.Client };

        // One request per replica first, so each has verified (scrypt) and cached the key before the concurrent burst.
        foreach (var client in clients)
        {
            using var warm = await GetAsync(client, "v1/auth/verify", limited.Key);
            Assert.Equal(HttpStatusCode.OK, warm.StatusCode);
        }

        var statuses = await Task.WhenAll(Enumerable.Range(0, 22).Select(async i =>
        {
            using var response = await GetAsync(clients[i % 2], "v1/auth/verify", limited.Key);
            return response.StatusCode;
        }));
        Assert.Equal(8, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(14, statuses.Count(s => s == HttpStatusCode.TooManyRequests));

        // Warm both replicas' verification caches, so only the broadcast can make them refuse within 2 s (the cache TTL is 30 s).
        var key = await fixture.Store.CreateKeyAsync();
        foreach (var client in clients)
        {
            using var warm = await GetAsync(client, "v1/auth/verify", key.Key);
            Assert.Equal(HttpStatusCode.OK, warm.StatusCode);
        }

        var revoke = await ServerCli.RunAsync(fixture.Environment(), "keys", "revoke", key.Id.ToString());
        Assert.True(revoke.ExitCode == 0, revoke.StandardError);
        var clock = Stopwatch.StartNew();
        foreach (var client in clients)
        {
            HttpStatusCode status;
            do
            {
                using var response = await GetAsync(client, "v1/auth/verify", key.Key);
                status = response.StatusCode;
            }
            while (status == HttpStatusCode.OK && clock.Elapsed < TimeSpan.FromSeconds(5) && await Pause());
            Assert.Equal(HttpStatusCode.Forbidden, status);
        }

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"revocation took {clock.Elapsed}");
    }

    [Fact]
    public async Task Parallel_synthesis_is_metered_exactly()
    {
        var key = await fixture.Store.CreateKeyAsync();
        var texts = Enumerable.Range(0, 12).Select(i => $"Parallel request number {i}.").ToArray();
        await Task.WhenAll(texts.Select(async text =>
        {
            using var response = await TtsAsync(fixture.Server.Client, key.Key, $$"""{"text":"{{text}}","voice_id":"emily-en-us","format":"ulaw"}""");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            await response.Content.ReadAsByteArrayAsync();
        }));

        var (requests, characters) = await WaitForUsageAsync(fixture.Server.Client, key.Key, texts.Length);
        Assert.Equal(texts.Length, requests);
        Assert.Equal(texts.Sum(t => t.Length), characters);
    }

    [Fact]
    public async Task Sigterm_right_after_requests_loses_no_usage_or_request_log()
    {
        var server = await ServerProcess.StartAsync(fixture.Environment());
        var key = await fixture.Store.CreateKeyAsync();
        for (var i = 0; i < 6; i++)
        {
            using var response = await TtsAsync(server.Client, key.Key, """{"text":"Flush me.","voice_id":"emily-en-us","format":"ulaw"}""");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            await response.Content.ReadAsByteArrayAsync();
        }

        Assert.Equal(0, await server.StopAsync());
        await server.DisposeAsync();
        await using var connection = await fixture.Store.Database.OpenConnectionAsync();
        Assert.Equal(6, await connection.ExecuteScalarAsync<long>("SELECT COALESCE(SUM(requests), 0) FROM usage_counters WHERE api_key_id = @Id", new { key.Id }));
        Assert.Equal(54, await connection.ExecuteScalarAsync<long>("SELECT COALESCE(SUM(characters), 0) FROM usage_counters WHERE api_key_id = @Id", new { key.Id }));
        Assert.Equal(6, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM request_logs WHERE api_key_id = @Id AND endpoint = '/v1/tts' AND status = 200", new { key.Id }));
    }

    private static async Task<(long Requests, long Characters)> WaitForUsageAsync(HttpClient client, string key, long requests)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            using var response = await GetAsync(client, "v1/usage?days=1", key);
            var rows = (await ReadJsonAsync(response)).EnumerateArray().ToList();
            var total = (rows.Sum(r => r.GetProperty("requests").GetInt64()), rows.Sum(r => r.GetProperty("characters").GetInt64()));
            if (total.Item1 >= requests || DateTime.UtcNow > deadline) return total;
            await Task.Delay(200);
        }
    }

    private static async Task<bool> Pause()
    {
        await Task.Delay(50);
        return true;
    }
}
