using System.Runtime.InteropServices;
using CallWaiting.Server.Storage;

namespace CallWaiting.Server.Metering;

/// <summary>
/// Sums usage events per (day, key) in memory. Memory grows with the number of distinct key-days, not with
/// the number of events, which is what lets the meter hold a long database outage's backlog.
/// </summary>
internal sealed class UsageAccumulator
{
    private readonly Dictionary<(DateOnly Day, Guid ApiKeyId), Totals> _totals = [];

    /// <summary>Events summed since the last <see cref="Clear"/>.</summary>
    public long EventCount { get; private set; }

    /// <summary>Whether no event is held.</summary>
    public bool IsEmpty => EventCount == 0;

    /// <summary>Adds one event (one request) to its day and key.</summary>
    public void Add(in UsageEvent usage)
    {
        ref var totals = ref CollectionsMarshal.GetValueRefOrAddDefault(_totals, (usage.Day, usage.ApiKeyId), out var exists);
        if (!exists)
        {
            totals.TenantId = usage.TenantId;
        }

        totals.Requests++;
        totals.Characters += usage.Characters;
        totals.AudioSeconds += usage.AudioSeconds;
        totals.MsSynth += usage.SynthesisMilliseconds;
        totals.Errors += usage.Error ? 1 : 0;
        totals.CachedRequests += usage.Cached ? 1 : 0;
        EventCount++;
    }

    /// <summary>One increment per (day, key).</summary>
    public UsageIncrement[] ToIncrements()
    {
        var increments = new UsageIncrement[_totals.Count];
        var i = 0;
        foreach (var ((day, key), totals) in _totals)
        {
            increments[i++] = new UsageIncrement(
                day, key, totals.TenantId, totals.Requests, totals.Characters, totals.AudioSeconds, totals.MsSynth, totals.Errors, totals.CachedRequests);
        }

        return increments;
    }

    /// <summary>Forgets every sum (the dictionary keeps its capacity for the next batch).</summary>
    public void Clear()
    {
        _totals.Clear();
        EventCount = 0;
    }

    private struct Totals
    {
        public Guid TenantId;
        public long Requests;
        public long Characters;
        public double AudioSeconds;
        public long MsSynth;
        public long Errors;
        public long CachedRequests;
    }
}
