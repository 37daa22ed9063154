namespace Governance.Storage.Memory;

/// <summary>Lists the states of a <see cref="MemoryEvidenceStore"/>, as <see cref="Postgres.PostgresGrainStateListing"/> does (ordinal key order).</summary>
public sealed class MemoryGrainStateListing(MemoryEvidenceStore store) : IGrainStateListing
{
    public Task<IReadOnlyList<GrainListing>> ListAsync(GrainListingQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        return Task.FromResult(store.List(query));
    }
}
