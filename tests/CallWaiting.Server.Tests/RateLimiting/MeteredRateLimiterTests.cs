using CallWaiting.Server.RateLimiting;
using Prometheus;

namespace CallWaiting.Server.Tests.RateLimiting;

public sealed class MeteredRateLimiterTests
{
    [Fact]
    public async Task Counts_refused_acquires_by_key_window_or_policy_and_nothing_else()
    {
        var metrics = new RateLimitMetrics(Metrics.WithCustomRegistry(Metrics.NewCustomRegistry()));
        var limiter = new MeteredRateLimiter(new LocalRateLimiter(new TestClock(new DateTimeOffset(2025, 1, 1, 8, 0, 0, TimeSpan.Zero))), metrics);
        var options = new RateLimitOptions { DefaultPerMinute = 2, PerIpPerMinute = 1 };

        for (var i = 0; i < 5; i++)
        {
            await limiter.AcquireAsync(options.ForApiKey(), "key-1");
        }

        await limiter.PeekAsync(options.ForApiKey(), "key-1");
        await limiter.AcquireAsync(options.IpPolicy, "192.0.2.7");
        await limiter.AcquireAsync(options.IpPolicy, "192.0.2.7");

        Assert.Equal(3, metrics.ApiKeyLimitExceeded.WithLabels("minute").Value);
        Assert.Equal(0, metrics.ApiKeyLimitExceeded.WithLabels("day").Value);
        Assert.Equal(1, metrics.OtherLimitExceeded.WithLabels("ip").Value);
    }
}
