using CallWaiting.Server.Metering;

namespace CallWaiting.Server.Tests.Metering;

public sealed class UsageEventTests
{
    private static readonly Guid Key = Guid.NewGuid();
    private static readonly Guid Tenant = Guid.NewGuid();

    [Fact]
    public void Day_is_the_utc_calendar_day()
    {
        var usage = new UsageEvent(Key, Tenant, new DateTimeOffset(2025, 3, 31, 1, 30, 0, TimeSpan.FromHours(3)), 10, 1.5, 20);

        Assert.Equal(new DateOnly(2025, 3, 30), usage.Day);
    }

    [Fact]
    public void Rejects_missing_ids()
    {
        Assert.Throws<ArgumentException>(() => new UsageEvent(Guid.Empty, Tenant, DateTimeOffset.UtcNow, 1, 0, 0));
        Assert.Throws<ArgumentException>(() => new UsageEvent(Key, Guid.Empty, DateTimeOffset.UtcNow, 1, 0, 0));
    }

    [Theory]
    [InlineData(-1, 0.0, 0L)]
    [InlineData(1, -0.5, 0L)]
    [InlineData(1, double.NaN, 0L)]
    [InlineData(1, double.PositiveInfinity, 0L)]
    [InlineData(1, 0.0, -1L)]
    public void RejectsAmountsThatWouldCorruptTheSums(int characters, double audioSeconds, long synthesisMs) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new UsageEvent(Key, Tenant, DateTimeOffset.UtcNow, characters, audioSeconds, synthesisMs));

    [Fact]
    public void Options_out_of_range_are_rejected()
    {
        Assert.Contains("Metering:MaxBatchSize", Assert.Single(new MeteringOptions { MaxBatchSize = 0 }.Problems()));
        Assert.Contains("Metering:RetryMaxDelay", Assert.Single(new MeteringOptions { RetryMaxDelay = TimeSpan.FromMilliseconds(10) }.Problems()));
        Assert.Contains("Metering:MaxPendingLogs", Assert.Single(new MeteringOptions { MaxPendingLogs = 0 }.Problems()));
        Assert.Empty(new MeteringOptions().Problems());
    }
}
