using System.Net;
using CallWaiting.Server.ApiKeys;
using CallWaiting.Server.Tests.Infrastructure;
using Dapper;
using Npgsql;
using static CallWaiting.Server.Tests.Api.ApiTestHttp;

namespace CallWaiting.Server.Tests.Resilience;

/// <summary>
/// A server on a PostgreSQL cluster of this test's own, stopped and started again mid-traffic: cached keys keep
/// synthesizing with public voices, what needs the database answers a clean 503, health tells the truth, and once
/// the database is back every request is metered and logged exactly once.
/// </summary>
public sealed class DatabaseOutageTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    private static readonly TimeSpan RecoveryGuard = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Cached_keys_keep_speaking_through_an_outage_and_nothing_is_lost_or_counted_twice()
    {
        await using var cluster = await PrivatePostgresCluster.CreateAsync();
        await using var server = await ServerProcess.StartAsync(new Dictionary<string, string?>(ServerProcess.Unthrottled)
        {
            ["CALLWAITING_DB"] = cluster.ConnectionString,
            ["CALLWAITING_REDIS"] = redis.Endpoint,
        });
        var client = server.Client;
        IssuedApiKey cached, uncached;
        await using (var store = ServerStore.ForPostgres(cluster.UnpooledConnectionString))
        {
            cached = await store.CreateKeyAsync();
            uncached = await store.CreateKeyAsync();
        }

        var spoken = new List<(string RequestId, int Characters)>();
        async Task SpeakAsync(int n)
        {
            var text = $"Request {n} is spoken whether or not the database answers.";
            using var response = await TtsAsync(client, cached.Key, $$"""{"text":"{{text}}","voice_id":"emily-en-us","format":"ulaw"}""");
            var audio = await response.Content.ReadAsByteArrayAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"request {n}: {(int)response.StatusCode} {System.Text.Encoding.UTF8.GetString(audio)}");
            Assert.True(audio.Length > 8000 / 2, $"request {n} returned only {audio.Length} bytes of 8 kHz audio");
            spoken.Add((Header(response, "X-Request-ID"), text.Length));
        }

        // The first request verifies the key (scrypt, database) and caches it for 30 s; the outage below stays well inside that.
        await SpeakAsync(0);
        await SpeakAsync(1);

        string refusedRequestId;
        await cluster.StopAsync();
        try
        {
            for (var n = 2; n < 7; n++) await SpeakAsync(n);

            // A key this server has not verified yet cannot be checked: a clean, retryable 503, never a 500.
            using (var unverified = await TtsAsync(client, uncached.Key, """{"text":"Not checkable now.","voice_id":"emily-en-us","format":"ulaw"}"""))
            {
                await AssertErrorAsync(unverified, HttpStatusCode.ServiceUnavailable);
                Assert.Equal("auth_unavailable", (await ReadJsonAsync(unverified)).GetProperty("code").GetString());
                Assert.True(int.Parse(Header(unverified, "Retry-After")) > 0);
                refusedRequestId = Header(unverified, "X-Request-ID");
            }

            // Usage is read from the database: also a clean 503.
            using (var usage = await GetAsync(client, "v1/usage", cached.Key))
            {
                await AssertErrorAsync(usage, HttpStatusCode.ServiceUnavailable);
                Assert.True(int.Parse(Header(usage, "Retry-After")) > 0);
            }

            using (var health = await client.GetAsync("health"))
            {
                Assert.Equal(HttpStatusCode.OK, health.StatusCode);
                var body = await ReadJsonAsync(health);
                Assert.Equal("degraded", body.GetProperty("status").GetString());
                Assert.False(body.GetProperty("components").GetProperty("database").GetBoolean());
                Assert.True(body.GetProperty("components").GetProperty("tts_model").GetBoolean());
                Assert.True(body.GetProperty("components").GetProperty("redis").GetBoolean());
            }

            using (var ready = await client.GetAsync("ready"))
            {
                Assert.Contains("database", await AssertErrorAsync(ready, HttpStatusCode.ServiceUnavailable));
            }
        }
        finally
        {
            await cluster.StartAsync();
        }

        await ResilienceWait.UntilAsync(async () =>
        {
            using var health = await client.GetAsync("health");
            return (await ReadJsonAsync(health)).GetProperty("status").GetString();
        }, status => status == "healthy", RecoveryGuard, "/health to report healthy again");

        // The meter retries its batches until the database is back: every synthesis that answered 200 shows up in /v1/usage.
        var requests = await ResilienceWait.UntilAsync(async () =>
        {
            using var usage = await GetAsync(client, "v1/usage?days=1", cached.Key);
            return usage.StatusCode == HttpStatusCode.OK ? (await ReadJsonAsync(usage)).EnumerateArray().Sum(r => r.GetProperty("requests").GetInt64()) : -1;
        }, n => n >= spoken.Count, RecoveryGuard, "usage to include every synthesis");
        Assert.Equal(spoken.Count, requests);

        await using var connection = new NpgsqlConnection(cluster.UnpooledConnectionString);
        await connection.OpenAsync();
        var ids = spoken.Select(s => s.RequestId).Append(refusedRequestId).ToArray();
        var logged = await ResilienceWait.UntilAsync(
            async () => (await connection.QueryAsync<(string RequestId, int Status)>(
                "SELECT request_id, status FROM request_logs WHERE request_id = ANY(@Ids)", new { Ids = ids })).ToList(),
            rows => rows.Select(r => r.RequestId).Distinct().Count() == ids.Length, RecoveryGuard, "a request log row for every request");

        Assert.Equal(ids.Length, logged.Count);
        Assert.All(logged.Where(r => r.RequestId != refusedRequestId), r => Assert.Equal(200, r.Status));
        Assert.Equal(503, logged.Single(r => r.RequestId == refusedRequestId).Status);
        var counters = await connection.QuerySingleAsync<(long Requests, long Characters)>(
            "SELECT COALESCE(SUM(requests), 0), COALESCE(SUM(characters), 0) FROM usage_counters WHERE api_key_id = @Id", new { cached.Id });
        Assert.Equal(spoken.Count, counters.Requests);
        Assert.Equal(spoken.Sum(s => s.Characters), counters.Characters);
    }
}
