using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Governance.Runtime.Tests.Streams;

/// <summary>A logger provider that keeps every entry (event id, level, message, exception) for assertions.</summary>
public sealed class LogCapture : ILoggerProvider
{
    private readonly ConcurrentQueue<Entry> _entries = new();

    /// <summary>Every entry logged so far, in order.</summary>
    public IReadOnlyList<Entry> Entries => [.. _entries];

    public ILogger CreateLogger(string categoryName) => new Logger(_entries);

    public void Dispose()
    {
    }

    /// <summary>One log entry.</summary>
    public sealed record Entry(int EventId, LogLevel Level, string Message, Exception? Exception);

    private sealed class Logger(ConcurrentQueue<Entry> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            entries.Enqueue(new Entry(eventId.Id, logLevel, formatter(state, exception), exception));
    }
}
