using System.Collections.Concurrent;

namespace CallWaiting.Server.RateLimiting;

/// <summary>In-process fixed-window rate limiter: the single-node limiter and the fallback while Redis is away.</summary>
/// <remarks>
/// Same windows and decisions as <see cref="RedisRateLimiter"/>, timed by <see cref="TimeProvider"/>. Each
/// (policy, subject) has its own small lock, so unrelated subjects never contend. Memory stays bounded: subjects
/// whose windows have all ended are swept periodically, and past <see cref="MaxSubjects"/> the least recently
/// used subjects are dropped (their counts restart, which only errs towards admitting).
/// </remarks>
public sealed class LocalRateLimiter : IRateLimiter
{
    /// <summary>The subject count above which least recently used subjects are evicted.</summary>
    public const int DefaultMaxSubjects = 100_000;

    private const long SweepIntervalMs = 30_000;

    private readonly ConcurrentDictionary<(string Policy, string Subject), Entry> _entries = new();
    private readonly TimeProvider _time;
    private long _nextSweepMs;
    private int _sweeping;

    /// <summary>Creates a limiter timed by <paramref name="time"/> (the system clock by default).</summary>
    public LocalRateLimiter(TimeProvider? time = null, int maxSubjects = DefaultMaxSubjects)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSubjects, 1);
        _time = time ?? TimeProvider.System;
        MaxSubjects = maxSubjects;
    }

    /// <summary>The most subjects kept before evicting the least recently used.</summary>
    public int MaxSubjects { get; }

    /// <summary>Subjects currently tracked.</summary>
    internal int SubjectCount => _entries.Count;

    /// <inheritdoc />
    public ValueTask<RateLimitDecision> AcquireAsync(RateLimitPolicy policy, string subject, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Evaluate(policy, subject, consume: true, cancellationToken));

    /// <inheritdoc />
    public ValueTask<RateLimitDecision> PeekAsync(RateLimitPolicy policy, string subject, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Evaluate(policy, subject, consume: false, cancellationToken));

    /// <summary>Drops subjects whose windows have all ended, then the least recently used ones while over <see cref="MaxSubjects"/>.</summary>
    internal void Sweep()
    {
        var nowMs = _time.GetUtcNow().ToUnixTimeMilliseconds();
        foreach (var pair in _entries)
        {
            lock (pair.Value)
            {
                if (pair.Value.ExpiresAtMs <= nowMs)
                {
                    Remove(pair.Key, pair.Value);
                }
            }
        }

        var excess = _entries.Count - MaxSubjects;
        if (excess <= 0)
        {
            return;
        }

        // Rare (a flood of distinct subjects): evict down to 90% of the cap so this doesn't run on every request.
        var victims = _entries.ToArray();
        Array.Sort(victims, static (a, b) => Volatile.Read(ref a.Value.LastUsedMs).CompareTo(Volatile.Read(ref b.Value.LastUsedMs)));
        var toEvict = Math.Min(victims.Length, excess + MaxSubjects / 10);
        for (var i = 0; i < toEvict; i++)
        {
            lock (victims[i].Value)
            {
                Remove(victims[i].Key, victims[i].Value);
            }
        }
    }

    private RateLimitDecision Evaluate(RateLimitPolicy policy, string subject, bool consume, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(policy);
        RateLimitPolicy.ValidateSubject(subject);
        cancellationToken.ThrowIfCancellationRequested();

        var nowMs = _time.GetUtcNow().ToUnixTimeMilliseconds();
        MaybeSweep(nowMs);

        var windows = policy.Windows;
        Span<long> counts = stackalloc long[RateLimitPolicy.MaxWindows];
        counts = counts[..windows.Count];
        var key = (policy.Name, subject);
        while (true)
        {
            Entry? entry;
            if (consume)
            {
                entry = _entries.GetOrAdd(key, static _ => new Entry());
            }
            else if (!_entries.TryGetValue(key, out entry))
            {
                // A peek at an unknown subject sees empty windows and leaves no entry behind.
                counts.Clear();
                return RateLimitDecision.FromCounts(policy, nowMs, allowed: true, counts);
            }

            lock (entry)
            {
                if (entry.Removed)
                {
                    continue; // Swept between lookup and lock: count in its replacement instead.
                }

                var allowed = true;
                for (var i = 0; i < windows.Count; i++)
                {
                    counts[i] = entry.Count(windows[i].PeriodMilliseconds, nowMs);
                    allowed &= counts[i] < windows[i].Limit;
                }

                if (allowed && consume)
                {
                    for (var i = 0; i < windows.Count; i++)
                    {
                        counts[i] = entry.Increment(windows[i].PeriodMilliseconds, nowMs);
                    }
                }

                entry.LastUsedMs = nowMs;
                return RateLimitDecision.FromCounts(policy, nowMs, allowed, counts);
            }
        }
    }

    private void MaybeSweep(long nowMs)
    {
        var overCap = _entries.Count > MaxSubjects;
        if ((!overCap && nowMs < Volatile.Read(ref _nextSweepMs)) || Interlocked.Exchange(ref _sweeping, 1) == 1)
        {
            return;
        }

        try
        {
            Volatile.Write(ref _nextSweepMs, nowMs + SweepIntervalMs);
            Sweep();
        }
        finally
        {
            Volatile.Write(ref _sweeping, 0);
        }
    }

    private void Remove((string, string) key, Entry entry)
    {
        entry.Removed = true;
        _entries.TryRemove(new KeyValuePair<(string, string), Entry>(key, entry));
    }

    /// <summary>One subject's windows; every member is guarded by locking the entry.</summary>
    private sealed class Entry
    {
        private Slot[] _slots = [];

        public bool Removed;
        public long LastUsedMs;

        /// <summary>When the last of this subject's windows ends; the entry is dead after it.</summary>
        public long ExpiresAtMs;

        public long Count(long periodMs, long nowMs)
        {
            var slot = Find(periodMs);
            return slot >= 0 && _slots[slot].Index == RateLimitDecision.WindowIndex(nowMs, periodMs) ? _slots[slot].Count : 0;
        }

        public long Increment(long periodMs, long nowMs)
        {
            var index = RateLimitDecision.WindowIndex(nowMs, periodMs);
            var slot = Find(periodMs);
            if (slot < 0)
            {
                slot = _slots.Length;
                Array.Resize(ref _slots, slot + 1);
                _slots[slot] = new Slot { PeriodMs = periodMs, Index = index };
            }

            ref var s = ref _slots[slot];
            if (s.Index != index)
            {
                s.Index = index;
                s.Count = 0;
            }

            ExpiresAtMs = Math.Max(ExpiresAtMs, RateLimitDecision.WindowEndMs(nowMs, periodMs));
            return ++s.Count;
        }

        private int Find(long periodMs)
        {
            for (var i = 0; i < _slots.Length; i++)
            {
                if (_slots[i].PeriodMs == periodMs)
                {
                    return i;
                }
            }

            return -1;
        }
    }

    private struct Slot
    {
        public long PeriodMs;
        public long Index;
        public long Count;
    }
}
