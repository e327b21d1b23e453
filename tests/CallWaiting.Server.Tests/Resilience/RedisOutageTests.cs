using System.Net;
using CallWaiting.Server.Tests.Infrastructure;
using static CallWaiting.Server.Tests.Api.ApiTestHttp;

namespace CallWaiting.Server.Tests.Resilience;

/// <summary>
/// A server whose private redis-server is killed mid-traffic and restarted on the same port: requests keep being
/// served with in-process limits (and their headers), health says degraded, and the server returns to Redis by itself.
/// </summary>
public sealed class RedisOutageTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private const string RedisUp = "rate_limiter_redis_up";
    private const string Fallbacks = "rate_limiter_fallback_total";
    private static readonly TimeSpan RecoveryGuard = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Requests_are_served_with_local_limits_while_redis_is_down_and_redis_is_used_again_once_back()
    {
        using var redis = RedisServerProcess.StartOnFreePort();
        await using var server = await ServerProcess.StartAsync(new Dictionary<string, string?>(ServerProcess.Unthrottled)
        {
            ["CALLWAITING_DB"] = postgres.ConnectionString,
            ["CALLWAITING_REDIS"] = redis.Endpoint,
        });
        var client = server.Client;
        await using var store = ServerStore.ForPostgres(postgres.ConnectionString);
        var key = await store.CreateKeyAsync();
        var limited = await store.CreateKeyAsync(perMinute: 3);

        for (var i = 0; i < 2; i++) await AssertServedAsync(client, key.Key, $"Before the outage, request {i}.");
        Assert.Equal(1, await MetricAsync(client, RedisUp));
        var fallbacksBefore = await MetricAsync(client, Fallbacks);

        redis.Kill();

        for (var i = 0; i < 3; i++) await AssertServedAsync(client, key.Key, $"During the outage, request {i}.");
        Assert.Equal(0, await MetricAsync(client, RedisUp));
        Assert.True(await MetricAsync(client, Fallbacks) > fallbacksBefore, "checks decided locally are counted");

        // The in-process limiter still enforces a key's own limit (3 per minute; this key was never used before).
        await EnsureMinuteHeadroomAsync(TimeSpan.FromSeconds(15));
        for (var i = 0; i < 3; i++)
        {
            using var allowed = await GetAsync(client, "v1/auth/verify", limited.Key);
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
            Assert.Equal("3", Header(allowed, "X-RateLimit-Limit"));
            Assert.Equal((2 - i).ToString(), Header(allowed, "X-RateLimit-Remaining"));
        }

        using (var refused = await GetAsync(client, "v1/auth/verify", limited.Key))
        {
            await AssertErrorAsync(refused, HttpStatusCode.TooManyRequests);
            Assert.True(int.Parse(Header(refused, "Retry-After")) > 0);
            AssertRateLimitHeaders(refused);
        }

        using (var health = await client.GetAsync("health"))
        {
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
            var body = await ReadJsonAsync(health);
            Assert.Equal("degraded", body.GetProperty("status").GetString());
            Assert.False(body.GetProperty("components").GetProperty("redis").GetBoolean());
            Assert.True(body.GetProperty("components").GetProperty("database").GetBoolean());
        }

        using (var ready = await client.GetAsync("ready"))
        {
            Assert.Contains("redis", await AssertErrorAsync(ready, HttpStatusCode.ServiceUnavailable));
        }

        redis.Start();

        // Nothing but the server's own probe brings it back: no request is needed to notice Redis returned.
        await ResilienceWait.UntilAsync(() => MetricAsync(client, RedisUp), up => up == 1, RecoveryGuard, $"{RedisUp} to return to 1");
        await ResilienceWait.UntilAsync(async () =>
        {
            using var health = await client.GetAsync("health");
            return (await ReadJsonAsync(health)).GetProperty("status").GetString();
        }, status => status == "healthy", RecoveryGuard, "/health to report healthy again");

        var fallbacksAfterRecovery = await MetricAsync(client, Fallbacks);
        await AssertServedAsync(client, key.Key, "After the outage.");
        Assert.Equal(fallbacksAfterRecovery, await MetricAsync(client, Fallbacks));
    }

    // Fixed windows restart on the minute: a boundary inside the burst would let a fourth request through.
    private static async Task EnsureMinuteHeadroomAsync(TimeSpan needed)
    {
        var left = TimeSpan.FromMinutes(1) - TimeSpan.FromTicks(DateTime.UtcNow.Ticks % TimeSpan.TicksPerMinute);
        if (left < needed) await Task.Delay(left + TimeSpan.FromMilliseconds(50));
    }

    private static async Task AssertServedAsync(HttpClient client, string key, string text)
    {
        using var response = await TtsAsync(client, key, $$"""{"text":"{{text}}","voice_id":"emily-en-us","format":"ulaw"}""");
        var audio = await response.Content.ReadAsByteArrayAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"'{text}': {(int)response.StatusCode} {System.Text.Encoding.UTF8.GetString(audio)}");
        AssertRateLimitHeaders(response);
        Assert.True(audio.Length > 8000 / 2, $"'{text}' returned only {audio.Length} bytes of 8 kHz audio");
    }
}
