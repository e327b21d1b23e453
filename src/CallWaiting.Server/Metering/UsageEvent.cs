namespace CallWaiting.Server.Metering;

/// <summary>
/// What one request cost one API key: the unit the usage meter sums into <c>usage_counters</c> (one request
/// per event). A value type so that recording it on the request path allocates nothing.
/// </summary>
public readonly record struct UsageEvent
{
    /// <summary>Creates an event; invalid amounts throw here, on the caller's path, so the meter never stores them.</summary>
    /// <param name="apiKeyId">The key that was charged (not empty).</param>
    /// <param name="tenantId">The key's tenant (not empty).</param>
    /// <param name="timestamp">When the request was served; its UTC calendar day is the counter's day.</param>
    /// <param name="characters">Characters charged (0 or more).</param>
    /// <param name="audioSeconds">Seconds of audio produced (finite, 0 or more).</param>
    /// <param name="synthesisMilliseconds">Milliseconds spent synthesizing (0 or more).</param>
    /// <param name="error">Whether the request failed.</param>
    /// <param name="cached">Whether the audio came from the cache.</param>
    public UsageEvent(
        Guid apiKeyId,
        Guid tenantId,
        DateTimeOffset timestamp,
        int characters,
        double audioSeconds,
        long synthesisMilliseconds,
        bool error = false,
        bool cached = false)
    {
        if (apiKeyId == Guid.Empty)
        {
            throw new ArgumentException("A usage event needs the API key that was charged.", nameof(apiKeyId));
        }

        if (tenantId == Guid.Empty)
        {
            throw new ArgumentException("A usage event needs the key's tenant.", nameof(tenantId));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(characters);
        ArgumentOutOfRangeException.ThrowIfNegative(synthesisMilliseconds);

        // A NaN or infinity would poison the stored sum for the whole day, forever.
        if (!double.IsFinite(audioSeconds) || audioSeconds < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(audioSeconds), audioSeconds, "Audio seconds must be a finite number, 0 or more.");
        }

        ApiKeyId = apiKeyId;
        TenantId = tenantId;
        Timestamp = timestamp;
        Characters = characters;
        AudioSeconds = audioSeconds;
        SynthesisMilliseconds = synthesisMilliseconds;
        Error = error;
        Cached = cached;
    }

    /// <summary>The key that was charged; empty only for <c>default(UsageEvent)</c>, which the meter rejects.</summary>
    public Guid ApiKeyId { get; }

    /// <summary>The key's tenant.</summary>
    public Guid TenantId { get; }

    /// <summary>When the request was served.</summary>
    public DateTimeOffset Timestamp { get; }

    /// <summary>The UTC calendar day the event counts towards.</summary>
    public DateOnly Day => DateOnly.FromDateTime(Timestamp.UtcDateTime);

    /// <summary>Characters charged.</summary>
    public int Characters { get; }

    /// <summary>Seconds of audio produced.</summary>
    public double AudioSeconds { get; }

    /// <summary>Milliseconds spent synthesizing (whole milliseconds, so sums are exact whatever the batching).</summary>
    public long SynthesisMilliseconds { get; }

    /// <summary>Whether the request failed.</summary>
    public bool Error { get; }

    /// <summary>Whether the audio came from the cache.</summary>
    public bool Cached { get; }
}
