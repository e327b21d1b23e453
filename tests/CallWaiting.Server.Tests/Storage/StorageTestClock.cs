namespace CallWaiting.Server.Tests.Storage;

/// <summary>A clock tests move by hand (expiry, TTLs, "today").</summary>
public sealed class StorageTestClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    /// <summary>Moves the clock forward.</summary>
    public void Advance(TimeSpan by) => _now += by;

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow() => _now;
}
