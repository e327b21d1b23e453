using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using CallWaiting.Server.ApiKeys;
using CallWaiting.Server.RateLimiting;
using CallWaiting.Server.Tests.Infrastructure;
using static CallWaiting.Server.Tests.Api.ApiTestHttp;

namespace CallWaiting.Server.Tests.Api;

/// <summary>
/// What the API does as time passes, on the in-process server's fake clock: key expiry, rate-limit windows, usage days
/// and token lifetimes, each moved past its boundary by <see cref="InProcessServer.Clock"/> instead of waited for.
/// </summary>
public sealed class FakeClockApiTests
{
    [Fact]
    public async Task Per_ip_and_failed_authentication_limits_apply_before_the_key_is_trusted_and_reset_with_the_minute()
    {
        // The clock starts at a minute boundary and stands still, so every count below lands in one window.
        await using var server = new InProcessServer(new Dictionary<string, string?>
        {
            ["RateLimits:PerIpPerMinute"] = "6",
            ["RateLimits:FailedAuthPerIpPerMinute"] = "3",
        });
        var client = server.CreateClient();
        // The in-process server shares this process's metrics registry; this class is its only in-process user.
        var failedAuthRefusals = new RateLimitMetrics().OtherLimitExceeded.WithLabels(RateLimitOptions.FailedAuthPolicyName);
        var refusedBefore = failedAuthRefusals.Value;
        for (var i = 0; i < 3; i++)
        {
            using var wrong = await GetAsync(client, "v1/auth/verify", ApiKeyFormat.Generate());
            await AssertErrorAsync(wrong, HttpStatusCode.Unauthorized);
        }

        // The IP spent its failed-authentication budget: even the right key is refused until the window resets.
        using (var blocked = await GetAsync(client, "v1/auth/verify", server.BootstrapKey))
        {
            await AssertErrorAsync(blocked, HttpStatusCode.TooManyRequests);
            Assert.Equal(60, int.Parse(Header(blocked, "Retry-After"), CultureInfo.InvariantCulture));
        }
        Assert.Equal(refusedBefore + 1, failedAuthRefusals.Value);

        // Four requests so far from this IP; two more pass the per-IP limit of 6 (and fail for lack of a key), the 7th does not.
        for (var i = 0; i < 2; i++)
        {
            using var keyless = await GetAsync(client, "v1/voices", null);
            await AssertErrorAsync(keyless, HttpStatusCode.Unauthorized);
        }

        using (var flood = await GetAsync(client, "v1/voices", null))
        {
            Assert.Equal("Rate limit exceeded: 6 requests per minute", await AssertErrorAsync(flood, HttpStatusCode.TooManyRequests));
        }

        // One second before the window ends nothing has changed; at its end both budgets are new and the key gets in.
        server.Clock.Advance(TimeSpan.FromSeconds(59));
        using (var still = await GetAsync(client, "v1/auth/verify", server.BootstrapKey))
        {
            await AssertErrorAsync(still, HttpStatusCode.TooManyRequests);
            Assert.Equal(1, int.Parse(Header(still, "Retry-After"), CultureInfo.InvariantCulture));
        }

        server.Clock.Advance(TimeSpan.FromSeconds(1));
        using var next = await GetAsync(client, "v1/auth/verify", server.BootstrapKey);
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }

    [Fact]
    public async Task A_key_is_accepted_until_it_expires_and_403_expired_after()
    {
        await using var server = new InProcessServer();
        var client = server.CreateClient();
        var expiring = await server.CreateKeyAsync(expiresAt: server.Clock.GetUtcNow().AddHours(1));

        using (var before = await GetAsync(client, "v1/auth/verify", expiring.Key)) Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        server.Clock.Advance(TimeSpan.FromMinutes(59) + TimeSpan.FromSeconds(50));
        using (var late = await GetAsync(client, "v1/auth/verify", expiring.Key)) Assert.Equal(HttpStatusCode.OK, late.StatusCode);

        // Verified ten seconds ago, within the verification cache's 30 s: the cached key must expire on time too.
        server.Clock.Advance(TimeSpan.FromSeconds(10));
        using (var after = await GetAsync(client, "v1/auth/verify", expiring.Key))
        {
            Assert.Contains("expired", await AssertErrorAsync(after, HttpStatusCode.Forbidden));
        }

        using var other = await GetAsync(client, "v1/auth/verify", server.BootstrapKey);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

    [Fact]
    public async Task Usage_counts_each_utc_day_in_its_own_row()
    {
        await using var server = new InProcessServer();
        var client = server.CreateClient();
        var firstDay = DayOf(server.Clock.GetUtcNow());
        await SpeakAsync(client, server.BootstrapKey, "Before midnight.");
        await UsageReachesAsync(client, server.BootstrapKey, rows => rows.Count == 1);

        // Just before the next UTC midnight, then just after it.
        var now = server.Clock.GetUtcNow();
        server.Clock.Advance(new DateTimeOffset(now.UtcDateTime.Date.AddDays(1), TimeSpan.Zero) - now - TimeSpan.FromSeconds(1));
        await SpeakAsync(client, server.BootstrapKey, "Still the same day.");
        server.Clock.Advance(TimeSpan.FromSeconds(2));
        var secondDay = DayOf(server.Clock.GetUtcNow());
        await SpeakAsync(client, server.BootstrapKey, "After midnight.");

        var rows = await UsageReachesAsync(client, server.BootstrapKey, rows => rows.Count == 2 && rows[0].GetProperty("requests").GetInt64() == 1
            && rows[1].GetProperty("requests").GetInt64() == 2);
        Assert.Equal(secondDay, rows[0].GetProperty("day").GetString());
        Assert.Equal("After midnight.".Length, rows[0].GetProperty("characters").GetInt64());
        Assert.Equal(firstDay, rows[1].GetProperty("day").GetString());
        Assert.Equal("Before midnight.".Length + "Still the same day.".Length, rows[1].GetProperty("characters").GetInt64());
    }

    [Fact]
    public async Task A_websocket_token_is_accepted_until_its_ttl_passes()
    {
        await using var server = new InProcessServer(new Dictionary<string, string?> { ["Realtime:TokenTtl"] = "00:01:00" });
        var client = server.CreateClient();
        using var issued = await SendAsync(client, HttpMethod.Post, "v1/auth/ws-token", server.BootstrapKey);
        var body = await ReadJsonAsync(issued);
        Assert.Equal(60, body.GetProperty("expires_in").GetInt32());
        var url = body.GetProperty("url").GetString()!.TrimStart('/');

        // A valid token passes authentication and meets the WebSocket's 426 for a plain GET; an expired one is 401.
        server.Clock.Advance(TimeSpan.FromSeconds(59));
        using (var valid = await client.GetAsync(url)) await AssertErrorAsync(valid, HttpStatusCode.UpgradeRequired);
        server.Clock.Advance(TimeSpan.FromSeconds(1));
        using var expired = await client.GetAsync(url);
        await AssertErrorAsync(expired, HttpStatusCode.Unauthorized);
    }

    private static string DayOf(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static async Task SpeakAsync(HttpClient client, string key, string text)
    {
        using var tts = await TtsAsync(client, key, JsonSerializer.Serialize(new { text, voice_id = "james-en-us", format = "wav" }));
        Assert.Equal(HttpStatusCode.OK, tts.StatusCode);
        var audio = await ServerAudio.AnalyzeAsync(await tts.Content.ReadAsByteArrayAsync(), "wav");
        Assert.True(audio.RmsAmplitude > 0.01, "the answer is speech, not silence");
    }

    // The meter writes in batches in the background (on the wall clock): poll until the rows are as expected.
    private static async Task<List<JsonElement>> UsageReachesAsync(HttpClient client, string key, Func<List<JsonElement>, bool> done)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            using var usage = await GetAsync(client, "v1/usage", key);
            var rows = (await ReadJsonAsync(usage)).EnumerateArray().ToList();
            if (done(rows)) return rows;
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"usage never reached the expected rows: {string.Join(", ", rows)}");
            await Task.Delay(100);
        }
    }
}
