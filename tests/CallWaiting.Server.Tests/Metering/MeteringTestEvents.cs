using CallWaiting.Server.Metering;

namespace CallWaiting.Server.Tests.Metering;

/// <summary>Deterministic usage events over a few keys and days; audio seconds are multiples of 1/8 so every sum is exact in binary.</summary>
internal static class MeteringTestEvents
{
    public static readonly DateTimeOffset Day1 = new(2025, 3, 30, 23, 59, 59, 900, TimeSpan.Zero);

    public static IReadOnlyList<(Guid Key, Guid Tenant)> Keys(int count) =>
        Enumerable.Range(0, count).Select(_ => (Guid.NewGuid(), Guid.NewGuid())).ToList();

    /// <summary>Event number <paramref name="n"/> of producer <paramref name="producer"/>: keys, days (straddling UTC midnight) and amounts all vary.</summary>
    public static UsageEvent Make(IReadOnlyList<(Guid Key, Guid Tenant)> keys, int producer, int n)
    {
        var (key, tenant) = keys[(producer + n) % keys.Count];
        var timestamp = Day1.AddMilliseconds(((producer * 7) + n) % 3 * 60_000);
        return new UsageEvent(
            key,
            tenant,
            timestamp,
            characters: 1 + ((producer * 31) + n) % 1200,
            audioSeconds: (n % 40) / 8.0,
            synthesisMilliseconds: 5 + (n % 97),
            error: n % 17 == 0,
            cached: n % 5 == 0);
    }
}
