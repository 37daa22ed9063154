namespace Governance.Storage.Memory;

/// <summary>
/// The rows of the memory twin of the <c>governance</c> storage: grain states with ETags and listing
/// columns, and the append-only ledger. Thread-safe. One instance is one store: give the same
/// instance to every silo of an in-process cluster that should share it. Nothing survives the process.
/// </summary>
public sealed class MemoryEvidenceStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(string Type, string Key), StoredRow> _states = [];
    private readonly Dictionary<string, List<LedgerRecord>> _ledger = new(StringComparer.Ordinal);

    private sealed record StoredRow(string Json, long ETag, string? Label, DateTimeOffset? Deadline);

    /// <summary>The stored JSON and ETag of a row, or null.</summary>
    internal (string Json, long ETag)? Read(string type, string key)
    {
        lock (_lock)
        {
            return _states.TryGetValue((type, key), out var row) ? (row.Json, row.ETag) : null;
        }
    }

    /// <summary>
    /// Writes a row over <paramref name="expectedETag"/> (0: the row must not exist) and appends the
    /// ledger rows, all or nothing, as PostgreSQL does: a stale ETag, or a ledger seq that is taken or
    /// leaves a gap in its chain, changes nothing.
    /// </summary>
    /// <returns>The new ETag, or <c>(false, stored ETag)</c> on a conflict.</returns>
    internal (bool Applied, long ETag) TryWrite(
        string type, string key, long expectedETag, string json, IReadOnlyList<LedgerRecord> ledger, string? label, DateTimeOffset? deadline)
    {
        lock (_lock)
        {
            var current = _states.TryGetValue((type, key), out var row) ? row.ETag : 0;
            if (current != expectedETag)
            {
                return (false, current);
            }

            // The ledger's (chain, seq) key is unique and chains have no gaps.
            var nextSeq = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (var entry in ledger)
            {
                var expected = nextSeq.TryGetValue(entry.ChainId, out var seq)
                    ? seq
                    : (_ledger.TryGetValue(entry.ChainId, out var chain) ? chain[^1].Seq : 0) + 1;
                if (entry.Seq != expected)
                {
                    return (false, current);
                }

                nextSeq[entry.ChainId] = expected + 1;
            }

            var etag = current + 1;
            _states[(type, key)] = new StoredRow(json, etag, label, deadline);
            foreach (var entry in ledger)
            {
                if (!_ledger.TryGetValue(entry.ChainId, out var chain))
                {
                    _ledger[entry.ChainId] = chain = [];
                }

                chain.Add(entry);
            }

            return (true, etag);
        }
    }

    /// <summary>Deletes a row stored at <paramref name="expectedETag"/>; the ledger stays.</summary>
    /// <returns>Whether it applied, and the stored ETag (0: none).</returns>
    internal (bool Applied, long ETag) TryDelete(string type, string key, long expectedETag)
    {
        lock (_lock)
        {
            var current = _states.TryGetValue((type, key), out var row) ? row.ETag : 0;
            if (current != expectedETag)
            {
                return (false, current);
            }

            _states.Remove((type, key));
            return (true, 0);
        }
    }

    internal IReadOnlyList<LedgerRecord> ReadLedger(string chainId, long afterSeq, int limit)
    {
        lock (_lock)
        {
            return _ledger.TryGetValue(chainId, out var chain) && limit > 0
                ? [.. chain.Where(e => e.Seq > afterSeq).Take(limit)]
                : [];
        }
    }

    internal IReadOnlyList<GrainListing> List(GrainListingQuery query)
    {
        if (query.Limit <= 0)
        {
            return [];
        }

        lock (_lock)
        {
            return
            [
                .. _states
                    .Where(pair => pair.Key.Type == query.GrainType)
                    .Where(pair => query.Label is null || pair.Value.Label == query.Label)
                    .Where(pair => query.DeadlineBefore is null
                        || (pair.Value.Deadline is { } deadline && deadline <= query.DeadlineBefore))
                    .Where(pair => query.AfterKey is null || string.CompareOrdinal(pair.Key.Key, query.AfterKey) > 0)
                    .OrderBy(pair => pair.Key.Key, StringComparer.Ordinal)
                    .Take(query.Limit)
                    .Select(pair => new GrainListing(pair.Key.Key, pair.Value.Label, pair.Value.Deadline, pair.Value.Json)),
            ];
        }
    }
}
