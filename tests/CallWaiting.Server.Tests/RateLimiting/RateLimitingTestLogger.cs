using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace CallWaiting.Server.Tests.RateLimiting;

/// <summary>A logger that keeps what is logged, to check how often something is reported.</summary>
internal sealed class RateLimitingTestLogger<T> : ILogger<T>
{
    public ConcurrentQueue<(LogLevel Level, string Message)> Entries { get; } = new();

    public int Count(LogLevel level) => Entries.Count(e => e.Level == level);

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Entries.Enqueue((logLevel, formatter(state, exception)));
}
