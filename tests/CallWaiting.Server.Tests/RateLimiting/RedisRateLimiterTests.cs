using CallWaiting.Server.RateLimiting;
using CallWaiting.Server.Redis;
using CallWaiting.Server.Tests.Infrastructure;
using StackExchange.Redis;

namespace CallWaiting.Server.Tests.RateLimiting;

public sealed class RedisRateLimiterTests(RedisFixture redis) : IClassFixture<RedisFixture>, IAsyncLifetime
{
    private static readonly TimeSpan Headroom = TimeSpan.FromSeconds(15);

    private RedisConnection _connection = null!;
    private RedisRateLimiter _limiter = null!;

    public async Task InitializeAsync()
    {
        _connection = await redis.ConnectAsync();
        _limiter = new RedisRateLimiter(_connection);
        await RedisWindowHeadroom.EnsureMinuteHeadroomAsync(redis.AdminServer, Headroom);
    }

    public async Task DisposeAsync() => await _connection.DisposeAsync();

    [Fact]
    public async Task Admits_exactly_the_limit_then_refuses_with_reset_at_the_servers_next_minute()
    {
        var policy = new RateLimitOptions().ForApiKey();
        var subject = RateLimitOptions.ApiKeySubject(Guid.NewGuid());
        var serverBefore = new DateTimeOffset(await redis.AdminServer.TimeAsync(), TimeSpan.Zero);

        for (var i = 1; i <= 120; i++)
        {
            var decision = await _limiter.AcquireAsync(policy, subject);
            Assert.True(decision.Allowed);
            Assert.Equal(120 - i, decision.Remaining);
        }

        var refused = await _limiter.AcquireAsync(policy, subject);
        var expectedReset = DateTimeOffset.FromUnixTimeSeconds((serverBefore.ToUnixTimeSeconds() / 60 + 1) * 60);
        Assert.False(refused.Allowed);
        Assert.Equal(0, refused.Remaining);
        Assert.Equal(120, refused.Limit);
        Assert.Equal(expectedReset, refused.Reset);
        Assert.InRange(refused.RetryAfter, TimeSpan.FromMilliseconds(1), expectedReset - serverBefore);
        Assert.Equal("Rate limit exceeded: 120 requests per minute", refused.Message);

        var count = await redis.Admin.GetDatabase().HashGetAsync(RedisRateLimiter.KeyFor(policy, subject, policy.Windows[0]), "c");
        Assert.Equal(120, (long)count);
    }

    [Fact]
    public async Task Day_window_binds_and_refusals_consume_from_no_window()
    {
        var db = redis.Admin.GetDatabase();
        var dayBound = new RateLimitPolicy("key", RateLimitWindow.PerMinute(5), RateLimitWindow.PerDay(3));
        var subject = Guid.NewGuid().ToString("N");
        for (var i = 0; i < 3; i++)
        {
            var allowed = await _limiter.AcquireAsync(dayBound, subject);
            Assert.True(allowed.Allowed);
            Assert.Equal(TimeSpan.FromDays(1), allowed.Window.Period);
        }

        for (var i = 0; i < 4; i++)
        {
            var refused = await _limiter.AcquireAsync(dayBound, subject);
            Assert.False(refused.Allowed);
            Assert.Equal("Rate limit exceeded: 3 requests per day", refused.Message);
            Assert.Equal(0, refused.Reset.ToUnixTimeMilliseconds() % 86_400_000);
        }

        Assert.Equal(3, (long)await db.HashGetAsync(RedisRateLimiter.KeyFor(dayBound, subject, dayBound.Windows[0]), "c"));
        Assert.Equal(3, (long)await db.HashGetAsync(RedisRateLimiter.KeyFor(dayBound, subject, dayBound.Windows[1]), "c"));

        var minuteBound = new RateLimitPolicy("key", RateLimitWindow.PerMinute(3), RateLimitWindow.PerDay(5));
        var other = Guid.NewGuid().ToString("N");
        for (var i = 0; i < 3; i++)
        {
            Assert.True((await _limiter.AcquireAsync(minuteBound, other)).Allowed);
        }

        for (var i = 0; i < 6; i++)
        {
            var refused = await _limiter.AcquireAsync(minuteBound, other);
            Assert.False(refused.Allowed);
            Assert.Equal("Rate limit exceeded: 3 requests per minute", refused.Message);
        }

        // Six refusals later the day window still holds 3 of its 5, not 9.
        Assert.Equal(3, (long)await db.HashGetAsync(RedisRateLimiter.KeyFor(minuteBound, other, minuteBound.Windows[1]), "c"));
    }

    [Fact]
    public async Task Peek_reports_without_consuming()
    {
        var policy = new RateLimitPolicy("ip-auth-fail", RateLimitWindow.PerMinute(2));
        var subject = $"203.0.113.{Random.Shared.Next(256)}-{Guid.NewGuid():N}";
        Assert.Equal(2, (await _limiter.PeekAsync(policy, subject)).Remaining);
        Assert.False(await redis.Admin.GetDatabase().KeyExistsAsync(RedisRateLimiter.KeyFor(policy, subject, policy.Windows[0])));

        await _limiter.AcquireAsync(policy, subject);
        await _limiter.AcquireAsync(policy, subject);
        for (var i = 0; i < 3; i++)
        {
            var peek = await _limiter.PeekAsync(policy, subject);
            Assert.False(peek.Allowed);
            Assert.Equal("Rate limit exceeded: 2 requests per minute", peek.Message);
        }

        Assert.Equal(2, (long)await redis.Admin.GetDatabase().HashGetAsync(RedisRateLimiter.KeyFor(policy, subject, policy.Windows[0]), "c"));
    }

    [Fact]
    public async Task Window_restarts_after_its_reset()
    {
        var policy = new RateLimitPolicy("test", RateLimitWindow.PerSecond(2));
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var subject = Guid.NewGuid().ToString("N");
            var burst = new[]
            {
                await _limiter.AcquireAsync(policy, subject),
                await _limiter.AcquireAsync(policy, subject),
                await _limiter.AcquireAsync(policy, subject),
            };
            if (burst.Select(d => d.Reset).Distinct().Count() != 1)
            {
                continue; // A second boundary fell inside the burst; try again with a fresh subject.
            }

            Assert.Equal([true, true, false], burst.Select(d => d.Allowed));
            await Task.Delay(burst[2].RetryAfter + TimeSpan.FromMilliseconds(20));
            var after = await _limiter.AcquireAsync(policy, subject);
            Assert.True(after.Allowed);
            Assert.True(after.Reset > burst[2].Reset);
            return;
        }

        Assert.Fail("Five bursts of three requests all straddled a second boundary.");
    }

    [Fact]
    public async Task Parallel_acquires_admit_exactly_the_limit()
    {
        var policy = new RateLimitOptions().ForApiKey();
        var subject = Guid.NewGuid().ToString("N");
        var decisions = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => Task.Run(() => _limiter.AcquireAsync(policy, subject).AsTask())));

        var allowed = decisions.Where(d => d.Allowed).ToArray();
        Assert.Equal(120, allowed.Length);
        Assert.Equal(Enumerable.Range(0, 120).Select(i => (long)i), allowed.Select(d => d.Remaining).Order());
    }

    [Fact]
    public async Task Two_replicas_on_separate_connections_share_one_limit()
    {
        await using var second = await redis.ConnectAsync();
        var other = new RedisRateLimiter(second);
        Assert.NotSame(_connection.Multiplexer, second.Multiplexer);
        var policy = new RateLimitOptions().ForApiKey();
        var subject = Guid.NewGuid().ToString("N");

        var decisions = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Task.Run(() =>
            (i % 2 == 0 ? _limiter : other).AcquireAsync(policy, subject).AsTask())));

        Assert.Equal(120, decisions.Count(d => d.Allowed));
        Assert.Equal(80, decisions.Count(d => !d.Allowed && d.Message == "Rate limit exceeded: 120 requests per minute"));
    }

    [Fact]
    public async Task Reloads_the_script_after_the_server_forgets_it()
    {
        var policy = new RateLimitPolicy("key", RateLimitWindow.PerMinute(10));
        var subject = Guid.NewGuid().ToString("N");
        Assert.Equal(9, (await _limiter.AcquireAsync(policy, subject)).Remaining);

        await redis.AdminServer.ScriptFlushAsync();
        Assert.False(await redis.AdminServer.ScriptExistsAsync(RedisRateLimitScript.Sha1));

        Assert.Equal(8, (await _limiter.AcquireAsync(policy, subject)).Remaining);
        Assert.True(await redis.AdminServer.ScriptExistsAsync(RedisRateLimitScript.Sha1));
    }

    [Fact]
    public async Task Loading_ahead_puts_the_script_on_the_server_before_any_check()
    {
        await redis.AdminServer.ScriptFlushAsync();
        await _limiter.LoadScriptAsync();
        Assert.True(await redis.AdminServer.ScriptExistsAsync(RedisRateLimitScript.Sha1));
    }

    [Fact]
    public async Task Script_hash_matches_the_servers_and_keys_share_a_slot_and_expire()
    {
        Assert.Equal(RedisRateLimitScript.Sha1, await redis.AdminServer.ScriptLoadAsync(RedisRateLimitScript.Source));

        var policy = new RateLimitOptions().ForApiKey();
        var subject = Guid.NewGuid().ToString("N");
        await _limiter.AcquireAsync(policy, subject);
        var keys = policy.Windows.Select(w => RedisRateLimiter.KeyFor(policy, subject, w)).ToArray();
        Assert.Equal($"cw:rl:{{key:{subject}}}:60", (string?)keys[0]);
        Assert.Equal($"cw:rl:{{key:{subject}}}:86400", (string?)keys[1]);
        // Cluster slots come from the hash tag alone: both windows land on the subject's slot, so the script can run.
        Assert.Equal(0x31C3, RedisClusterSlot.Of("123456789")); // the CRC16 check value the cluster spec quotes
        var slot = RedisClusterSlot.Of($"key:{subject}");
        Assert.Equal(slot, RedisClusterSlot.Of((string)keys[0]!));
        Assert.Equal(slot, RedisClusterSlot.Of((string)keys[1]!));
        Assert.NotEqual(RedisClusterSlot.Of("cw:rl:key:a:60"), RedisClusterSlot.Of("cw:rl:key:a:86400"));

        var db = redis.Admin.GetDatabase();
        var minuteTtl = await db.KeyTimeToLiveAsync(keys[0]);
        var dayTtl = await db.KeyTimeToLiveAsync(keys[1]);
        Assert.NotNull(minuteTtl);
        Assert.NotNull(dayTtl);
        Assert.InRange(minuteTtl.Value, TimeSpan.FromMilliseconds(1), TimeSpan.FromMinutes(1));
        Assert.InRange(dayTtl.Value, TimeSpan.FromMilliseconds(1), TimeSpan.FromDays(1));
    }

    [Fact]
    public async Task Rejects_a_subject_with_braces_before_calling_redis() =>
        await Assert.ThrowsAsync<ArgumentException>(async () => await _limiter.AcquireAsync(new RateLimitOptions().IpPolicy, "{evil}"));
}
