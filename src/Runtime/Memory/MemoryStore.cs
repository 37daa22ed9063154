using Governance.Runtime.Reminders;
using Governance.Runtime.Storage;

namespace Governance.Runtime.Memory;

/// <summary>
/// In-process grain storage and reminder table for unit tests and the embedded default. Same
/// contract as the PostgreSQL provider: ETag-checked writes that apply state, ledger and reminders
/// together or not at all. Nothing survives the process.
/// </summary>
public sealed class MemoryStore : IGrainStorage, IReminderTable
{
    private readonly Lock _lock = new();
    private readonly Dictionary<GrainId, StoredRow> _states = [];
    private readonly Dictionary<string, List<LedgerRecord>> _ledger = new(StringComparer.Ordinal);
    private readonly Dictionary<(GrainId Grain, string Name), DueReminder> _reminders = [];
    private readonly SortedSet<(DateTimeOffset DueAt, GrainId Grain, string Name)> _reminderIndex =
        new(Comparer<(DateTimeOffset DueAt, GrainId Grain, string Name)>.Create(CompareIndexEntries));

    private sealed record StoredRow(string Json, long ETag, string? Label, DateTimeOffset? Deadline);

    public Task<StoredGrainState?> ReadAsync(GrainId grain, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_states.TryGetValue(grain, out var row) ? new StoredGrainState(row.Json, row.ETag) : null);
        }
    }

    public Task<long> WriteAsync(GrainId grain, GrainWrite write, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var currentETag = _states.TryGetValue(grain, out var row) ? row.ETag : 0;
            if (currentETag != write.ExpectedETag)
            {
                throw new ETagConflictException(grain, write.ExpectedETag);
            }

            // The ledger's (chain, seq) key is unique, as in PostgreSQL: a gap or repeat is a conflict.
            var nextSeq = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (var entry in write.Ledger)
            {
                var expected = nextSeq.TryGetValue(entry.ChainId, out var seq)
                    ? seq
                    : (_ledger.TryGetValue(entry.ChainId, out var chain) ? chain[^1].Seq : 0) + 1;
                if (entry.Seq != expected)
                {
                    throw new ETagConflictException(grain, write.ExpectedETag);
                }

                nextSeq[entry.ChainId] = expected + 1;
            }

            var newETag = currentETag + 1;
            _states[grain] = new StoredRow(write.StateJson, newETag, write.Label, write.Deadline);
            foreach (var entry in write.Ledger)
            {
                if (!_ledger.TryGetValue(entry.ChainId, out var chain))
                {
                    _ledger[entry.ChainId] = chain = [];
                }

                chain.Add(entry);
            }

            foreach (var change in write.Reminders)
            {
                ApplyReminder(grain, change);
            }

            return Task.FromResult(newETag);
        }
    }

    public Task<IReadOnlyList<LedgerRecord>> ReadLedgerAsync(
        string chainId, long afterSeq, int limit, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            IReadOnlyList<LedgerRecord> rows = _ledger.TryGetValue(chainId, out var chain)
                ? chain.Where(e => e.Seq > afterSeq).Take(limit).ToList()
                : [];
            return Task.FromResult(rows);
        }
    }

    public Task<IReadOnlyList<GrainListing>> ListAsync(GrainListingQuery query, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            IReadOnlyList<GrainListing> rows = _states
                .Where(pair => pair.Key.Type == query.GrainType)
                .Where(pair => query.Label is null || pair.Value.Label == query.Label)
                .Where(pair => query.DeadlineBefore is null
                    || (pair.Value.Deadline is { } deadline && deadline <= query.DeadlineBefore))
                .Where(pair => query.AfterKey is null || string.CompareOrdinal(pair.Key.Key, query.AfterKey) > 0)
                .OrderBy(pair => pair.Key.Key, StringComparer.Ordinal)
                .Take(query.Limit)
                .Select(pair => new GrainListing(pair.Key.Key, pair.Value.Label, pair.Value.Deadline, pair.Value.Json))
                .ToList();
            return Task.FromResult(rows);
        }
    }

    public Task CheckHealthAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task UpsertAsync(GrainId grain, ReminderChange change, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            ApplyReminder(grain, change);
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<DueReminder>> GetDueAsync(
        IReadOnlyCollection<int> partitions, DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        var wanted = partitions as ISet<int> ?? partitions.ToHashSet();
        lock (_lock)
        {
            IReadOnlyList<DueReminder> due = _reminderIndex
                .TakeWhile(entry => entry.DueAt <= now)
                .Where(entry => wanted.Contains(entry.Grain.Partition))
                .Take(limit)
                .Select(entry => _reminders[(entry.Grain, entry.Name)])
                .ToList();
            return Task.FromResult(due);
        }
    }

    public Task CompleteAsync(DueReminder reminder, DateTimeOffset? nextDueAt, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_reminders.TryGetValue((reminder.Grain, reminder.Name), out var current) && current.DueAt == reminder.DueAt)
            {
                ApplyReminder(reminder.Grain, new ReminderChange(reminder.Name, nextDueAt, reminder.Period));
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>Number of pending reminders (for tests).</summary>
    public int PendingReminderCount
    {
        get
        {
            lock (_lock)
            {
                return _reminders.Count;
            }
        }
    }

    /// <summary>Rewrites a ledger row in place, as an attacker with disk access could (for tamper tests).</summary>
    public void TamperLedger(string chainId, Func<List<LedgerRecord>, List<LedgerRecord>> rewrite)
    {
        lock (_lock)
        {
            _ledger[chainId] = rewrite(_ledger.TryGetValue(chainId, out var chain) ? [.. chain] : []);
        }
    }

    private void ApplyReminder(GrainId grain, ReminderChange change)
    {
        if (_reminders.Remove((grain, change.Name), out var existing))
        {
            _reminderIndex.Remove((existing.DueAt, grain, change.Name));
        }

        if (change.DueAt is { } dueAt)
        {
            _reminders[(grain, change.Name)] = new DueReminder(grain, change.Name, dueAt, change.Period);
            _reminderIndex.Add((dueAt, grain, change.Name));
        }
    }

    private static int CompareIndexEntries(
        (DateTimeOffset DueAt, GrainId Grain, string Name) x, (DateTimeOffset DueAt, GrainId Grain, string Name) y)
    {
        var byTime = x.DueAt.CompareTo(y.DueAt);
        if (byTime != 0)
        {
            return byTime;
        }

        var byType = string.CompareOrdinal(x.Grain.Type, y.Grain.Type);
        if (byType != 0)
        {
            return byType;
        }

        var byKey = string.CompareOrdinal(x.Grain.Key, y.Grain.Key);
        return byKey != 0 ? byKey : string.CompareOrdinal(x.Name, y.Name);
    }
}
