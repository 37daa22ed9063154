namespace Governance.Storage;

/// <summary>Keyset-paged listings of stored grain states by their listing columns.</summary>
public interface IGrainStateListing
{
    Task<IReadOnlyList<GrainListing>> ListAsync(GrainListingQuery query, CancellationToken cancellationToken);
}
