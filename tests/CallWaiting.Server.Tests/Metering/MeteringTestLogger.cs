using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace CallWaiting.Server.Tests.Metering;

/// <summary>A logger that keeps what is logged, to check what the meter reports.</summary>
internal sealed class MeteringTestLogger<T> : ILogger<T>
{
    public ConcurrentQueue<(LogLevel Level, string Message)> Entries { get; } = new();

    public IEnumerable<string> Messages(LogLevel level) => Entries.Where(e => e.Level == level).Select(e => e.Message);

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Entries.Enqueue((logLevel, exception is null ? formatter(state, exception) : $"{formatter(state, exception)} {exception}"));
}
