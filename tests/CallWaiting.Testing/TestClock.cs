namespace CallWaiting.Testing;

/// <summary>A clock tests set and move by hand (expiry, TTLs, "today", rate-limit windows).</summary>
public sealed class TestClock(DateTimeOffset start) : TimeProvider
{
    /// <summary>The time the clock reads.</summary>
    public DateTimeOffset Now { get; set; } = start;

    /// <summary>Moves the clock forward.</summary>
    public void Advance(TimeSpan by) => Now += by;

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow() => Now;
}
