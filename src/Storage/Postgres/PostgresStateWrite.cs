namespace Governance.Storage.Postgres;

/// <summary>One grain's write: its row, the ETag it expects (0: the row must not exist) and its ledger rows.</summary>
internal sealed record PostgresStateWrite(
    GrainId GrainId,
    string GrainType,
    string GrainKey,
    long ExpectedETag,
    string StateJson,
    IReadOnlyList<LedgerRecord> Ledger,
    string? Label,
    DateTimeOffset? Deadline)
{
    /// <summary>The partition of the key; the state row and every ledger row of the write carry it.</summary>
    public int Partition { get; } = Partitioning.PartitionOf(GrainKey);
}
