using System.Collections.Concurrent;
using System.Diagnostics;

namespace Governance.Storage.Tests.Streams;

/// <summary>
/// What the test consumer applied, per stream key, as a durable grain state would keep it: the last
/// applied seq (events at or below it are skipped as duplicates) and each applied event with the time
/// it was applied. Keys are unique per test, so tests never see each other's entries.
/// </summary>
public static class AppliedEvents
{
    private static readonly ConcurrentDictionary<string, StreamLedger> Streams = new(StringComparer.Ordinal);

    public static StreamLedger For(string key) => Streams.GetOrAdd(key, _ => new StreamLedger());

    public sealed class StreamLedger
    {
        private readonly Lock _lock = new();
        private readonly List<(long Seq, int N, long AppliedAt)> _applied = [];

        public long LastSeq { get; private set; }

        public int Duplicates { get; private set; }

        public int Attempts { get; private set; }

        /// <summary>Applies the event unless its seq is at or below the last applied one; returns whether it did.</summary>
        public bool Apply(long seq, int n)
        {
            lock (_lock)
            {
                Attempts++;
                if (seq <= LastSeq)
                {
                    Duplicates++;
                    return false;
                }

                LastSeq = seq;
                _applied.Add((seq, n, Stopwatch.GetTimestamp()));
                return true;
            }
        }

        public IReadOnlyList<(long Seq, int N, long AppliedAt)> Applied
        {
            get
            {
                lock (_lock)
                {
                    return [.. _applied];
                }
            }
        }
    }
}
