using Governance.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Governance.Silo;

/// <summary>Ready means the silo is an active member of its cluster and its storage answers.</summary>
internal sealed class SiloReadyCheck(ISiloStatusOracle membership, IGovernanceStorageHealth storage) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (membership.CurrentStatus != SiloStatus.Active)
        {
            return HealthCheckResult.Unhealthy($"The silo is {membership.CurrentStatus}, not active.");
        }

        try
        {
            await storage.CheckHealthAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (StorageUnavailableException exception)
        {
            return HealthCheckResult.Unhealthy("Storage is unavailable.", exception);
        }
    }
}
