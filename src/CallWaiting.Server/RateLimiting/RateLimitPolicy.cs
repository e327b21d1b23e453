namespace CallWaiting.Server.RateLimiting;

/// <summary>A named set of windows that all must allow a request, e.g. 120 per minute and 10,000 per day.</summary>
/// <remarks>
/// The name scopes the counters: two policies with different names never share a count for the same subject,
/// while policies with the same name and subject (a key whose limits were edited) keep counting per period.
/// </remarks>
public sealed class RateLimitPolicy
{
    /// <summary>The most windows one policy may hold.</summary>
    public const int MaxWindows = 8;

    private const int MaxNameLength = 64;

    private readonly RateLimitWindow[] _windows;

    /// <summary>Creates a policy; <paramref name="name"/> is lower-case letters, digits, '-', '_' or '.'; periods must differ.</summary>
    public RateLimitPolicy(string name, params IReadOnlyList<RateLimitWindow> windows)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(windows);
        if (name.Length > MaxNameLength || !name.All(IsNameChar))
        {
            throw new ArgumentException($"Policy name '{name}' must be 1-{MaxNameLength} characters of a-z, 0-9, '-', '_' or '.'.", nameof(name));
        }

        if (windows.Count is 0 or > MaxWindows)
        {
            throw new ArgumentException($"A policy needs 1 to {MaxWindows} windows.", nameof(windows));
        }

        // Shortest period first, so ties between windows resolve to the one that resets soonest.
        _windows = [.. windows.OrderBy(w => w.Period)];
        for (var i = 0; i < _windows.Length; i++)
        {
            if (_windows[i].Limit < 1)
            {
                throw new ArgumentException("Every window needs a limit of at least 1 (default windows are not allowed).", nameof(windows));
            }

            if (i > 0 && _windows[i].Period == _windows[i - 1].Period)
            {
                throw new ArgumentException($"Two windows share the period {_windows[i].Period}; counters are kept per period.", nameof(windows));
            }
        }

        Name = name;
    }

    /// <summary>The counter namespace, e.g. "key" or "ip".</summary>
    public string Name { get; }

    /// <summary>The windows, shortest period first.</summary>
    public IReadOnlyList<RateLimitWindow> Windows => _windows;

    /// <inheritdoc />
    public override string ToString() => $"{Name}: {string.Join(", ", _windows)}";

    /// <summary>Throws when <paramref name="subject"/> can't name a counter: empty, too long, or holding a brace (braces delimit Redis cluster hash tags).</summary>
    internal static void ValidateSubject(string subject)
    {
        ArgumentException.ThrowIfNullOrEmpty(subject);
        if (subject.Length > 256 || subject.AsSpan().IndexOfAny('{', '}') >= 0)
        {
            throw new ArgumentException("A rate-limit subject must be 1-256 characters without '{' or '}'.", nameof(subject));
        }
    }

    private static bool IsNameChar(char c) => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_' or '.';
}
