using System.Diagnostics;

namespace CallWaiting.Server.Tests.Resilience;

/// <summary>Bounded polling for the resilience tests: a generous hang guard, never a latency assertion.</summary>
internal static class ResilienceWait
{
    /// <summary>Polls <paramref name="probe"/> until <paramref name="done"/> holds and returns that value; fails naming <paramref name="what"/> and the last value after <paramref name="timeout"/>.</summary>
    public static async Task<T> UntilAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var value = await probe();
            if (done(value)) return value;
            if (clock.Elapsed > timeout) throw new Xunit.Sdk.XunitException($"Waited {timeout} for {what}; last value: {value}");
            await Task.Delay(200);
        }
    }
}
