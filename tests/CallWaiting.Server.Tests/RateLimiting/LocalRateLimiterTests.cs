using CallWaiting.Server.RateLimiting;

namespace CallWaiting.Server.Tests.RateLimiting;

public sealed class LocalRateLimiterTests
{
    private static readonly DateTimeOffset Start = new(2025, 3, 10, 12, 0, 10, TimeSpan.Zero);

    private readonly TestClock _clock = new(Start);

    [Fact]
    public async Task Admits_exactly_the_limit_then_refuses_until_the_minute_ends()
    {
        var limiter = new LocalRateLimiter(_clock);
        var policy = new RateLimitOptions().ForApiKey();
        var subject = RateLimitOptions.ApiKeySubject(Guid.NewGuid());

        for (var i = 1; i <= 120; i++)
        {
            var decision = await limiter.AcquireAsync(policy, subject);
            Assert.True(decision.Allowed);
            Assert.Equal(120 - i, decision.Remaining);
            Assert.Equal(120, decision.Limit);
            Assert.Equal(TimeSpan.Zero, decision.RetryAfter);
        }

        _clock.Advance(TimeSpan.FromMilliseconds(250));
        var refused = await limiter.AcquireAsync(policy, subject);
        var nextMinute = new DateTimeOffset(2025, 3, 10, 12, 1, 0, TimeSpan.Zero);
        Assert.False(refused.Allowed);
        Assert.Equal(0, refused.Remaining);
        Assert.Equal(TimeSpan.FromMinutes(1), refused.Window.Period);
        Assert.Equal(nextMinute, refused.Reset);
        Assert.Equal(nextMinute - _clock.Now, refused.RetryAfter);
        Assert.Equal(50, refused.RetryAfterSeconds);
        Assert.Equal("Rate limit exceeded: 120 requests per minute", refused.Message);

        _clock.Now = nextMinute;
        var afterReset = await limiter.AcquireAsync(policy, subject);
        Assert.True(afterReset.Allowed);
        Assert.Equal(119, afterReset.Remaining);
    }

    [Fact]
    public async Task Refusals_consume_from_no_window_and_the_day_binds_once_spent()
    {
        var limiter = new LocalRateLimiter(_clock);
        var policy = new RateLimitPolicy("key", RateLimitWindow.PerMinute(3), RateLimitWindow.PerDay(5));
        const string subject = "k1";

        Assert.Equal(new long[] { 2, 1, 0 }, await AcquireRemaining(limiter, policy, subject, 3));
        for (var i = 0; i < 10; i++)
        {
            var refused = await limiter.AcquireAsync(policy, subject);
            Assert.False(refused.Allowed);
            Assert.Equal("Rate limit exceeded: 3 requests per minute", refused.Message);
        }

        // Had the ten refusals counted against the day, nothing would be left of its 5.
        _clock.Advance(TimeSpan.FromMinutes(1));
        var first = await limiter.AcquireAsync(policy, subject);
        Assert.True(first.Allowed);
        Assert.Equal(TimeSpan.FromDays(1), first.Window.Period);
        Assert.Equal(1, first.Remaining);
        Assert.True((await limiter.AcquireAsync(policy, subject)).Allowed);

        var dayRefusal = await limiter.AcquireAsync(policy, subject);
        var midnight = new DateTimeOffset(2025, 3, 11, 0, 0, 0, TimeSpan.Zero);
        Assert.False(dayRefusal.Allowed);
        Assert.Equal("Rate limit exceeded: 5 requests per day", dayRefusal.Message);
        Assert.Equal(midnight, dayRefusal.Reset);
        Assert.Equal(midnight - _clock.Now, dayRefusal.RetryAfter);

        // After midnight both windows start afresh.
        _clock.Now = midnight;
        Assert.Equal(new long[] { 2, 1, 0 }, await AcquireRemaining(limiter, policy, subject, 3));
    }

    [Fact]
    public async Task When_both_windows_are_spent_the_one_resetting_last_binds()
    {
        var limiter = new LocalRateLimiter(_clock);
        var policy = new RateLimitPolicy("key", RateLimitWindow.PerMinute(2), RateLimitWindow.PerDay(2));
        await AcquireRemaining(limiter, policy, "k", 2);
        var refused = await limiter.AcquireAsync(policy, "k");
        Assert.False(refused.Allowed);
        Assert.Equal(TimeSpan.FromDays(1), refused.Window.Period);
    }

    [Fact]
    public async Task Peek_reports_without_consuming_or_remembering_the_subject()
    {
        var limiter = new LocalRateLimiter(_clock);
        var policy = new RateLimitPolicy("ip-auth-fail", RateLimitWindow.PerMinute(2));

        var unknown = await limiter.PeekAsync(policy, "10.0.0.1");
        Assert.True(unknown.Allowed);
        Assert.Equal(2, unknown.Remaining);
        Assert.Equal(0, limiter.SubjectCount);

        await limiter.AcquireAsync(policy, "10.0.0.1");
        await limiter.AcquireAsync(policy, "10.0.0.1");
        for (var i = 0; i < 3; i++)
        {
            Assert.False((await limiter.PeekAsync(policy, "10.0.0.1")).Allowed);
        }

        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(2, (await limiter.PeekAsync(policy, "10.0.0.1")).Remaining);
    }

    [Fact]
    public async Task Policies_with_different_names_count_apart()
    {
        var limiter = new LocalRateLimiter(_clock);
        var ip = new RateLimitPolicy("ip", RateLimitWindow.PerMinute(1));
        var failures = new RateLimitPolicy("ip-auth-fail", RateLimitWindow.PerMinute(1));
        Assert.True((await limiter.AcquireAsync(ip, "::1")).Allowed);
        Assert.True((await limiter.AcquireAsync(failures, "::1")).Allowed);
        Assert.False((await limiter.AcquireAsync(ip, "::1")).Allowed);
    }

    [Fact]
    public async Task Parallel_acquires_admit_exactly_the_limit()
    {
        var limiter = new LocalRateLimiter(_clock);
        var policy = new RateLimitPolicy("key", RateLimitWindow.PerMinute(120), RateLimitWindow.PerDay(10_000));
        using var gate = new ManualResetEventSlim();
        var tasks = Enumerable.Range(0, 200).Select(_ => Task.Run(async () =>
        {
            gate.Wait();
            return await limiter.AcquireAsync(policy, "shared");
        })).ToArray();
        gate.Set();
        var decisions = await Task.WhenAll(tasks);

        var allowed = decisions.Where(d => d.Allowed).ToArray();
        Assert.Equal(120, allowed.Length);
        Assert.Equal(Enumerable.Range(0, 120).Select(i => (long)i), allowed.Select(d => d.Remaining).Order());
        Assert.All(decisions.Where(d => !d.Allowed), d => Assert.Equal(0, d.Remaining));
    }

    [Fact]
    public async Task Subjects_whose_windows_ended_are_swept()
    {
        var limiter = new LocalRateLimiter(_clock);
        var minute = new RateLimitPolicy("ip", RateLimitWindow.PerMinute(5));
        var day = new RateLimitPolicy("key", RateLimitWindow.PerDay(50));
        for (var i = 0; i < 40; i++)
        {
            await limiter.AcquireAsync(minute, $"10.0.0.{i}");
        }

        await limiter.AcquireAsync(day, "long-lived");
        Assert.Equal(41, limiter.SubjectCount);

        _clock.Advance(TimeSpan.FromMinutes(2));
        limiter.Sweep();
        Assert.Equal(1, limiter.SubjectCount);
        Assert.Equal(48, (await limiter.AcquireAsync(day, "long-lived")).Remaining);
    }

    [Fact]
    public async Task Memory_stays_bounded_and_recent_subjects_survive_a_flood()
    {
        var limiter = new LocalRateLimiter(_clock, maxSubjects: 20);
        var policy = new RateLimitPolicy("ip", RateLimitWindow.PerMinute(5));
        for (var i = 0; i < 500; i++)
        {
            _clock.Advance(TimeSpan.FromMilliseconds(1));
            await limiter.AcquireAsync(policy, $"flood-{i}");
            Assert.True(limiter.SubjectCount <= 21, $"{limiter.SubjectCount} subjects after {i + 1} acquires");
        }

        // The most recent subject kept its count through the evictions.
        Assert.Equal(3, (await limiter.AcquireAsync(policy, "flood-499")).Remaining);
    }

    [Theory]
    [InlineData("")]
    [InlineData("a{b")]
    [InlineData("a}b")]
    public async Task Rejects_subjects_that_cannot_name_a_counter(string subject)
    {
        var limiter = new LocalRateLimiter(_clock);
        await Assert.ThrowsAsync<ArgumentException>(async () => await limiter.AcquireAsync(new RateLimitOptions().IpPolicy, subject));
    }

    private static async Task<long[]> AcquireRemaining(IRateLimiter limiter, RateLimitPolicy policy, string subject, int count)
    {
        var remaining = new long[count];
        for (var i = 0; i < count; i++)
        {
            var decision = await limiter.AcquireAsync(policy, subject);
            Assert.True(decision.Allowed);
            remaining[i] = decision.Remaining;
        }

        return remaining;
    }
}
