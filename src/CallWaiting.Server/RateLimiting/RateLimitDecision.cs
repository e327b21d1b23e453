namespace CallWaiting.Server.RateLimiting;

/// <summary>The outcome of one rate-limit check, with what the HTTP layer needs for 429s and X-RateLimit-* headers.</summary>
/// <param name="Allowed">Whether the request may proceed (and was counted, for an acquire).</param>
/// <param name="Window">The binding window: when refused, the refusing window that resets last; when allowed, the one with the fewest requests left.</param>
/// <param name="Remaining">Requests left in <paramref name="Window"/> after this one.</param>
/// <param name="Reset">When <paramref name="Window"/> starts afresh (UTC).</param>
/// <param name="RetryAfter">How long until a retry can succeed; zero when allowed.</param>
public readonly record struct RateLimitDecision(bool Allowed, RateLimitWindow Window, long Remaining, DateTimeOffset Reset, TimeSpan RetryAfter)
{
    /// <summary>The binding window's limit (X-RateLimit-Limit).</summary>
    public long Limit => Window.Limit;

    /// <summary>The reset instant in Unix seconds (X-RateLimit-Reset).</summary>
    public long ResetUnixSeconds => Reset.ToUnixTimeSeconds();

    /// <summary>Whole seconds to wait before retrying (Retry-After): the wait rounded up, at least 1; 0 when allowed.</summary>
    public long RetryAfterSeconds => Allowed ? 0 : Math.Max(1, (long)Math.Ceiling(RetryAfter.TotalSeconds));

    /// <summary>"Rate limit exceeded: 120 requests per minute" when refused; null when allowed.</summary>
    public string? Message => Allowed ? null : $"Rate limit exceeded: {Window.Limit} requests per {Window.PeriodDescription}";

    /// <summary>Builds the decision from each window's count (after the increment when allowed) at server time <paramref name="nowMs"/>.</summary>
    /// <remarks>Shared by every limiter so that Redis and in-process decisions read the same.</remarks>
    internal static RateLimitDecision FromCounts(RateLimitPolicy policy, long nowMs, bool allowed, ReadOnlySpan<long> counts)
    {
        var windows = policy.Windows;
        var binding = -1;
        long bindingRemaining = long.MaxValue, bindingResetMs = 0;
        for (var i = 0; i < windows.Count; i++)
        {
            var window = windows[i];
            var resetMs = WindowEndMs(nowMs, window.PeriodMilliseconds);
            var remaining = Math.Max(0, window.Limit - counts[i]);
            var better = allowed
                ? remaining < bindingRemaining
                : counts[i] >= window.Limit && resetMs > bindingResetMs;
            if (better)
            {
                binding = i;
                bindingRemaining = remaining;
                bindingResetMs = resetMs;
            }
        }

        if (binding < 0)
        {
            throw new InvalidOperationException("A refused decision had no exhausted window; the counters are inconsistent.");
        }

        var retryAfter = allowed ? TimeSpan.Zero : TimeSpan.FromMilliseconds(bindingResetMs - nowMs);
        return new RateLimitDecision(allowed, windows[binding], bindingRemaining, DateTimeOffset.FromUnixTimeMilliseconds(bindingResetMs), retryAfter);
    }

    /// <summary>The index of the window holding <paramref name="nowMs"/>, counting periods since the epoch.</summary>
    internal static long WindowIndex(long nowMs, long periodMs) => nowMs / periodMs;

    /// <summary>The end of the window holding <paramref name="nowMs"/>.</summary>
    internal static long WindowEndMs(long nowMs, long periodMs) => (WindowIndex(nowMs, periodMs) + 1) * periodMs;
}
