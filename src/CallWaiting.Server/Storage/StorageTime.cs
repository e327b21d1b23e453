namespace CallWaiting.Server.Storage;

/// <summary>
/// Instants as the database keeps them: UTC, whole microseconds (PostgreSQL's timestamptz resolution), so a
/// record built in memory equals the same record read back on either engine.
/// </summary>
public static class StorageTime
{
    /// <summary>The current instant at storage resolution.</summary>
    public static DateTimeOffset UtcNow(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        return Truncate(time.GetUtcNow());
    }

    /// <summary>The instant in UTC with sub-microsecond ticks dropped.</summary>
    public static DateTimeOffset Truncate(DateTimeOffset value)
    {
        var utc = value.ToUniversalTime();
        return utc.AddTicks(-(utc.Ticks % TimeSpan.TicksPerMicrosecond));
    }
}
