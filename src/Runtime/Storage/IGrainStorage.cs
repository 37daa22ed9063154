namespace Governance.Runtime.Storage;

/// <summary>
/// Durable grain state with optimistic concurrency. A write is acknowledged only after it commits;
/// a stale ETag raises <see cref="ETagConflictException"/>; an unreachable store raises
/// <see cref="StorageUnavailableException"/>.
/// </summary>
public interface IGrainStorage
{
    Task<StoredGrainState?> ReadAsync(GrainId grain, CancellationToken cancellationToken);

    /// <returns>The new ETag.</returns>
    Task<long> WriteAsync(GrainId grain, GrainWrite write, CancellationToken cancellationToken);

    /// <summary>Ledger rows of one chain with seq greater than <paramref name="afterSeq"/>, oldest first.</summary>
    Task<IReadOnlyList<LedgerRecord>> ReadLedgerAsync(
        string chainId, long afterSeq, int limit, CancellationToken cancellationToken);

    Task<IReadOnlyList<GrainListing>> ListAsync(GrainListingQuery query, CancellationToken cancellationToken);

    /// <summary>Throws <see cref="StorageUnavailableException"/> when the store cannot serve requests.</summary>
    Task CheckHealthAsync(CancellationToken cancellationToken);
}
