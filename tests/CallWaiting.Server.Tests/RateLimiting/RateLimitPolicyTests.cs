using CallWaiting.Server.RateLimiting;

namespace CallWaiting.Server.Tests.RateLimiting;

public sealed class RateLimitPolicyTests
{
    [Theory]
    [InlineData(0, 60)]
    [InlineData(-5, 60)]
    [InlineData(10, 0)]
    [InlineData(10, 32 * 86400)]
    public void Window_rejects_bad_limits_and_periods(long limit, int seconds) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new RateLimitWindow(limit, TimeSpan.FromSeconds(seconds)));

    [Fact]
    public void Window_rejects_fractional_seconds() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new RateLimitWindow(5, TimeSpan.FromMilliseconds(1500)));

    [Theory]
    [InlineData(1, "second")]
    [InlineData(60, "minute")]
    [InlineData(90, "90 seconds")]
    [InlineData(300, "5 minutes")]
    [InlineData(3600, "hour")]
    [InlineData(7200, "2 hours")]
    [InlineData(86400, "day")]
    [InlineData(7 * 86400, "7 days")]
    public void Window_describes_its_period(int seconds, string expected) =>
        Assert.Equal(expected, new RateLimitWindow(3, TimeSpan.FromSeconds(seconds)).PeriodDescription);

    [Fact]
    public void Policy_orders_windows_shortest_first()
    {
        var policy = new RateLimitPolicy("key", RateLimitWindow.PerDay(10_000), RateLimitWindow.PerMinute(120));
        Assert.Equal([TimeSpan.FromMinutes(1), TimeSpan.FromDays(1)], policy.Windows.Select(w => w.Period));
        Assert.Equal("key: 120 requests per minute, 10000 requests per day", policy.ToString());
    }

    [Fact]
    public void Policy_rejects_duplicate_periods_default_windows_and_bad_names()
    {
        Assert.Throws<ArgumentException>(() => new RateLimitPolicy("key", RateLimitWindow.PerMinute(1), RateLimitWindow.PerMinute(2)));
        Assert.Throws<ArgumentException>(() => new RateLimitPolicy("key", default(RateLimitWindow)));
        Assert.Throws<ArgumentException>(() => new RateLimitPolicy("key"));
        Assert.Throws<ArgumentException>(() => new RateLimitPolicy("Key{x}", RateLimitWindow.PerMinute(1)));
        Assert.Throws<ArgumentException>(() => new RateLimitPolicy("", RateLimitWindow.PerMinute(1)));
    }

    [Fact]
    public void Options_build_seed_defaults_and_per_key_overrides()
    {
        var options = new RateLimitOptions();
        Assert.Empty(options.Problems());
        var defaults = options.ForApiKey();
        Assert.Same(defaults, options.ForApiKey());
        Assert.Equal([120L, 10_000L], defaults.Windows.Select(w => w.Limit));
        Assert.Equal([60L, 10_000L], options.ForApiKey(perMinute: 60).Windows.Select(w => w.Limit));
        Assert.Equal([120L, 50L], options.ForApiKey(perDay: 50).Windows.Select(w => w.Limit));
        Assert.Equal(300, options.IpPolicy.Windows.Single().Limit);
        Assert.Equal(30, options.FailedAuthPolicy.Windows.Single().Limit);
        Assert.NotEqual(options.IpPolicy.Name, options.FailedAuthPolicy.Name);
        Assert.Contains("RateLimits", Assert.Single(new RateLimitOptions { DefaultPerMinute = 0 }.Problems()));
    }

    [Fact]
    public void Refusal_message_names_limit_and_period()
    {
        var decision = new RateLimitDecision(false, RateLimitWindow.PerMinute(120), 0, DateTimeOffset.UnixEpoch.AddMinutes(1), TimeSpan.FromMilliseconds(1200));
        Assert.Equal("Rate limit exceeded: 120 requests per minute", decision.Message);
        Assert.Equal(2, decision.RetryAfterSeconds);
        Assert.Equal(60, decision.ResetUnixSeconds);
        Assert.Equal(120, decision.Limit);

        var allowed = decision with { Allowed = true, RetryAfter = TimeSpan.Zero };
        Assert.Null(allowed.Message);
        Assert.Equal(0, allowed.RetryAfterSeconds);
    }
}
