namespace Governance.Storage;

/// <summary>A cheap probe of the store behind the <c>governance</c> grain storage, for health checks.</summary>
public interface IGovernanceStorageHealth
{
    /// <summary>Completes when the store serves requests; throws <see cref="StorageUnavailableException"/> otherwise.</summary>
    Task CheckHealthAsync(CancellationToken cancellationToken);
}
