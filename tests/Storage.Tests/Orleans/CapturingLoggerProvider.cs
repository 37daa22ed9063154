using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Governance.Storage.Tests.Orleans;

/// <summary>
/// Keeps every log entry at Warning and above (Orleans' hosts log nothing else here), so a test can
/// print them and the categories seen can be reviewed. Test output helpers cannot be written from
/// Orleans' background threads after a test ends, hence the queue.
/// </summary>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _entries = new();

    public IReadOnlyCollection<string> Entries => _entries;

    public ILogger CreateLogger(string categoryName) => new CapturingLogger(categoryName, _entries);

    public void Dispose()
    {
    }

    private sealed class CapturingLogger(string category, ConcurrentQueue<string> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(
            LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            var message = formatter(state, exception);
            var error = exception is null ? string.Empty : $" [{exception.GetType().Name}: {exception.Message}]";
            entries.Enqueue($"{DateTimeOffset.UtcNow:HH:mm:ss.fff} {logLevel} {category}: {message}{error}");
        }
    }
}
