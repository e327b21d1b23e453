namespace CallWaiting.Server.Tests.RateLimiting;

/// <summary>A clock the test sets and advances by hand, for window arithmetic in the in-process limiter.</summary>
internal sealed class RateLimitingTestClock(DateTimeOffset start) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = start;

    public override DateTimeOffset GetUtcNow() => Now;

    public void Advance(TimeSpan by) => Now += by;
}
