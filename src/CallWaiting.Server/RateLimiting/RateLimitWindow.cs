namespace CallWaiting.Server.RateLimiting;

/// <summary>A fixed window: at most <see cref="Limit"/> requests per <see cref="Period"/>, aligned to multiples of the period since the Unix epoch (UTC).</summary>
/// <remarks>Epoch alignment makes a minute window start on the minute and a day window at UTC midnight, identically on every replica.</remarks>
public readonly record struct RateLimitWindow
{
    /// <summary>The shortest period a window may have.</summary>
    public static readonly TimeSpan MinPeriod = TimeSpan.FromSeconds(1);

    /// <summary>The longest period a window may have.</summary>
    public static readonly TimeSpan MaxPeriod = TimeSpan.FromDays(31);

    /// <summary>Creates a window of <paramref name="limit"/> requests per <paramref name="period"/> (whole seconds, 1 s to 31 days).</summary>
    public RateLimitWindow(long limit, TimeSpan period)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        if (period < MinPeriod || period > MaxPeriod || period.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(period), period, "A rate-limit period must be whole seconds between 1 second and 31 days.");
        }

        Limit = limit;
        Period = period;
    }

    /// <summary>The most requests the window admits.</summary>
    public long Limit { get; }

    /// <summary>The window's length.</summary>
    public TimeSpan Period { get; }

    /// <summary>The period in milliseconds, the unit both limiters count time in.</summary>
    public long PeriodMilliseconds => Period.Ticks / TimeSpan.TicksPerMillisecond;

    /// <summary>The period as people say it after "per": "minute", "day", "5 minutes".</summary>
    public string PeriodDescription => Describe(Period);

    /// <summary>A window of <paramref name="limit"/> requests per second.</summary>
    public static RateLimitWindow PerSecond(long limit) => new(limit, TimeSpan.FromSeconds(1));

    /// <summary>A window of <paramref name="limit"/> requests per minute.</summary>
    public static RateLimitWindow PerMinute(long limit) => new(limit, TimeSpan.FromMinutes(1));

    /// <summary>A window of <paramref name="limit"/> requests per hour.</summary>
    public static RateLimitWindow PerHour(long limit) => new(limit, TimeSpan.FromHours(1));

    /// <summary>A window of <paramref name="limit"/> requests per (UTC) day.</summary>
    public static RateLimitWindow PerDay(long limit) => new(limit, TimeSpan.FromDays(1));

    /// <inheritdoc />
    public override string ToString() => $"{Limit} requests per {PeriodDescription}";

    private static string Describe(TimeSpan period)
    {
        var seconds = (long)period.TotalSeconds;
        return seconds switch
        {
            1 => "second",
            60 => "minute",
            3600 => "hour",
            86400 => "day",
            _ when seconds % 86400 == 0 => $"{seconds / 86400} days",
            _ when seconds % 3600 == 0 => $"{seconds / 3600} hours",
            _ when seconds % 60 == 0 => $"{seconds / 60} minutes",
            _ => $"{seconds} seconds",
        };
    }
}
