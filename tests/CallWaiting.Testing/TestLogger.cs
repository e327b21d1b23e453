using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace CallWaiting.Testing;

/// <summary>A logger that keeps what is logged (with the exception, if any), to check what and how often something is reported.</summary>
public sealed class TestLogger<T> : ILogger<T>
{
    /// <summary>Every entry so far, in order.</summary>
    public ConcurrentQueue<(LogLevel Level, string Message)> Entries { get; } = new();

    /// <summary>How many entries were logged at <paramref name="level"/>.</summary>
    public int Count(LogLevel level) => Entries.Count(e => e.Level == level);

    /// <summary>The messages logged at <paramref name="level"/>.</summary>
    public IEnumerable<string> Messages(LogLevel level) => Entries.Where(e => e.Level == level).Select(e => e.Message);

    /// <inheritdoc />
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    /// <inheritdoc />
    public bool IsEnabled(LogLevel logLevel) => true;

    /// <inheritdoc />
    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Entries.Enqueue((logLevel, exception is null ? formatter(state, exception) : $"{formatter(state, exception)} {exception}"));
}
