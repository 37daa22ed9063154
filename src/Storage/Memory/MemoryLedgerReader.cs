namespace Governance.Storage.Memory;

/// <summary>Reads the ledger of a <see cref="MemoryEvidenceStore"/>, as <see cref="Postgres.PostgresLedgerReader"/> does.</summary>
public sealed class MemoryLedgerReader(MemoryEvidenceStore store) : ILedgerReader
{
    public Task<IReadOnlyList<LedgerRecord>> ReadAsync(string chainId, long afterSeq, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(chainId);
        return Task.FromResult(store.ReadLedger(chainId, afterSeq, limit));
    }
}
