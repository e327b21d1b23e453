using StackExchange.Redis;

namespace CallWaiting.Server.Tests.RateLimiting;

/// <summary>Waits, by the Redis server's clock, until the current minute has enough time left for a test's burst of requests.</summary>
/// <remarks>Otherwise a minute boundary in mid-test would restart the window and let an extra request through.</remarks>
internal static class RedisWindowHeadroom
{
    public static async Task EnsureMinuteHeadroomAsync(IServer server, TimeSpan needed)
    {
        var now = await server.TimeAsync();
        var intoMinute = TimeSpan.FromTicks(now.Ticks % TimeSpan.TicksPerMinute);
        var left = TimeSpan.FromMinutes(1) - intoMinute;
        if (left < needed)
        {
            await Task.Delay(left + TimeSpan.FromMilliseconds(50));
        }
    }
}
