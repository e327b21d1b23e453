using CallWaiting.Server.Storage;

namespace CallWaiting.Server.Tests.Storage;

public sealed class StorageTimeTests
{
    [Fact]
    public void Truncates_to_whole_microseconds_in_utc()
    {
        var value = new DateTimeOffset(2025, 1, 1, 1, 0, 0, TimeSpan.FromHours(1)).AddTicks(1234567);

        var stored = StorageTime.Truncate(value);

        Assert.Equal(TimeSpan.Zero, stored.Offset);
        Assert.Equal(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero).AddTicks(1234560), stored);
        Assert.Equal(stored, StorageTime.Truncate(stored));
        Assert.Equal(stored, StorageTime.UtcNow(new TestClock(value)));
    }

    [Fact]
    public void Sqlite_text_is_fixed_width_so_string_order_is_time_order()
    {
        var early = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var later = early.AddTicks(10);

        var earlyText = SqliteText.FormatTimestamp(early);
        var laterText = SqliteText.FormatTimestamp(later);

        Assert.Equal("2025-01-01T00:00:00.0000000Z", earlyText);
        Assert.Equal(earlyText.Length, laterText.Length);
        Assert.True(string.CompareOrdinal(earlyText, laterText) < 0);
        Assert.Equal(later, SqliteText.ParseTimestamp(laterText));
        Assert.Equal(new DateOnly(2025, 2, 3), SqliteText.ParseDate(SqliteText.FormatDate(new DateOnly(2025, 2, 3))));
    }
}
