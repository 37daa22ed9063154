using System.Collections.Concurrent;
using Governance.Storage.Migrations;
using Microsoft.Extensions.Logging;

namespace Governance.Storage.Tests.Migrations;

/// <summary>Records the structured values of the migrator's log messages (e.g. AppliedCount, Version).</summary>
public sealed class RecordingMigratorLogger : ILogger<PostgresMigrator>
{
    private readonly ConcurrentQueue<IReadOnlyDictionary<string, object?>> _entries = new();

    public IReadOnlyCollection<IReadOnlyDictionary<string, object?>> Entries => _entries;

    /// <summary>The versions logged as applied now.</summary>
    public IReadOnlyList<int> AppliedVersions =>
        [.. _entries.Where(e => e.ContainsKey("ElapsedMilliseconds") && e["Version"] is int).Select(e => (int)e["Version"]!)];

    /// <summary>The AppliedCount of the last "up to date" message.</summary>
    public int? LastAppliedCount => _entries.LastOrDefault(e => e.ContainsKey("AppliedCount"))?["AppliedCount"] as int?;

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(
        LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (state is IReadOnlyList<KeyValuePair<string, object?>> values)
        {
            _entries.Enqueue(values.ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal));
        }
    }
}
