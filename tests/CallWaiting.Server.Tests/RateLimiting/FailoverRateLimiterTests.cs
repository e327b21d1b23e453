using System.Diagnostics;
using CallWaiting.Server.RateLimiting;
using CallWaiting.Server.Redis;
using CallWaiting.Server.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Prometheus;
using StackExchange.Redis;

namespace CallWaiting.Server.Tests.RateLimiting;

public sealed class FailoverRateLimiterTests : IAsyncLifetime
{
    // Generous bound that still fails if a check waited on Redis's own multi-second timeouts instead of falling back.
    private static readonly TimeSpan DecisionBound = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan RecoveryBound = TimeSpan.FromSeconds(20);

    private static readonly FailoverRateLimiterOptions Options = new()
    {
        RedisTimeout = TimeSpan.FromMilliseconds(250),
        ProbeInitialDelay = TimeSpan.FromMilliseconds(100),
        ProbeMaxDelay = TimeSpan.FromSeconds(1),
    };

    private readonly RateLimitMetrics _metrics = new(Metrics.WithCustomRegistry(Metrics.NewCustomRegistry()));
    private readonly TestLogger<FailoverRateLimiter> _log = new();
    private RedisServerProcess _server = null!;
    private RedisConnection _connection = null!;
    private FailoverRateLimiter _limiter = null!;

    public async Task InitializeAsync()
    {
        _server = RedisServerProcess.StartOnFreePort();
        _connection = await RedisConnection.ConnectAsync(new RedisConnectionOptions(_server.Endpoint));
        // Warm the connection and load the script first: a cold first call on a loaded machine can pass the 250 ms
        // timeout and fall back, which these tests would misread as an outage.
        await new RedisRateLimiter(_connection).AcquireAsync(new RateLimitPolicy("warm-up", RateLimitWindow.PerMinute(1)), "warm-up");
        _limiter = new FailoverRateLimiter(new RedisRateLimiter(_connection), new LocalRateLimiter(), _metrics, _log, Options);
    }

    public async Task DisposeAsync()
    {
        _limiter.Dispose();
        await _connection.DisposeAsync();
        _server.Dispose();
    }

    [Fact]
    public async Task Falls_back_when_redis_dies_and_returns_to_it_after_a_restart()
    {
        var policy = new RateLimitPolicy("key", RateLimitWindow.PerMinute(1_000));
        Assert.True((await _limiter.AcquireAsync(policy, "before")).Allowed);
        Assert.Equal(1, await CountInRedisAsync(policy, "before"));
        Assert.Equal(1, _metrics.RedisUp.Value);

        _server.Kill();
        for (var i = 0; i < 20; i++)
        {
            var decision = await _limiter.AcquireAsync(policy, "during").AsTask().WaitAsync(DecisionBound);
            Assert.True(decision.Allowed);
            Assert.Equal(999 - i, decision.Remaining);
        }

        Assert.False(_limiter.UsingRedis);
        Assert.Equal(20, _metrics.FallbackTotal.Value);
        Assert.Equal(0, _metrics.RedisUp.Value);
        Assert.Equal(1, _log.Count(LogLevel.Warning)); // once per outage, not per request

        // The local fallback still enforces limits.
        var tight = new RateLimitPolicy("ip", RateLimitWindow.PerMinute(3));
        var local = new List<bool>();
        for (var i = 0; i < 4; i++)
        {
            local.Add((await _limiter.AcquireAsync(tight, "10.1.1.1").AsTask().WaitAsync(DecisionBound)).Allowed);
        }

        Assert.Equal([true, true, true, false], local);

        _server.Start();
        await WaitUntilAsync(() => _limiter.UsingRedis, RecoveryBound);
        Assert.Equal(1, _metrics.RedisUp.Value);
        Assert.Contains(_log.Entries, e => e.Level == LogLevel.Information && e.Message.Contains("restored", StringComparison.Ordinal));

        var fallbacksBefore = _metrics.FallbackTotal.Value;
        Assert.True((await _limiter.AcquireAsync(policy, "after")).Allowed);
        Assert.Equal(1, await CountInRedisAsync(policy, "after"));
        Assert.Equal(fallbacksBefore, _metrics.FallbackTotal.Value);
    }

    [Fact]
    public async Task Falls_back_when_redis_is_too_slow_and_recovers_when_it_answers()
    {
        var policy = new RateLimitPolicy("key", RateLimitWindow.PerMinute(100));
        await using (var admin = await ConnectionMultiplexer.ConnectAsync($"{_server.Endpoint},allowAdmin=true"))
        {
            Assert.True((await _limiter.AcquireAsync(policy, "warm")).Allowed);

            // Redis stays connected but answers nothing for 2 s, as under a long blocking command.
            await admin.GetDatabase().ExecuteAsync("CLIENT", "PAUSE", 2000, "ALL");
            var decision = await _limiter.AcquireAsync(policy, "paused").AsTask().WaitAsync(DecisionBound);

            // Counted as a fallback: the decision was local, made without waiting for Redis to resume.
            Assert.True(decision.Allowed);
            Assert.Equal(1, _metrics.FallbackTotal.Value);
            Assert.False(_limiter.UsingRedis);
        }

        await WaitUntilAsync(() => _limiter.UsingRedis, RecoveryBound);
        Assert.Equal(99, (await _limiter.AcquireAsync(policy, "after-pause")).Remaining);
        Assert.Equal(1, await CountInRedisAsync(policy, "after-pause"));
    }

    [Fact]
    public async Task Works_locally_when_redis_was_never_reachable()
    {
        _server.Kill();
        await using var connection = await RedisConnection.ConnectAsync(new RedisConnectionOptions(_server.Endpoint));
        using var limiter = new FailoverRateLimiter(new RedisRateLimiter(connection), new LocalRateLimiter(), _metrics, NullLogger<FailoverRateLimiter>.Instance, Options);
        var policy = new RateLimitPolicy("key", RateLimitWindow.PerMinute(2));

        var decisions = new List<bool>();
        for (var i = 0; i < 3; i++)
        {
            decisions.Add((await limiter.AcquireAsync(policy, "k").AsTask().WaitAsync(DecisionBound)).Allowed);
        }

        Assert.Equal([true, true, false], decisions);
        Assert.Equal(3, _metrics.FallbackTotal.Value);
        Assert.False(limiter.UsingRedis);
    }

    private async Task<long> CountInRedisAsync(RateLimitPolicy policy, string subject)
    {
        await using var direct = await ConnectionMultiplexer.ConnectAsync(_server.Endpoint);
        return (long)await direct.GetDatabase().HashGetAsync(RedisRateLimiter.KeyFor(policy, subject, policy.Windows[0]), "c");
    }

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan bound)
    {
        var elapsed = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(elapsed.Elapsed < bound, $"condition not met within {bound}");
            await Task.Delay(50);
        }
    }
}
