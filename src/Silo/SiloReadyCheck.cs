using Governance.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Governance.Silo;

/// <summary>Ready means the silo is an active member of its cluster and its storage answers.</summary>
internal sealed class SiloReadyCheck(ISiloStatusOracle membership, ILedgerReader ledger) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (membership.CurrentStatus != SiloStatus.Active)
        {
            return HealthCheckResult.Unhealthy($"The silo is {membership.CurrentStatus}, not active.");
        }

        try
        {
            await ledger.ReadAsync("_ready", 0, 1, cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (StorageUnavailableException exception)
        {
            return HealthCheckResult.Unhealthy("Storage is unavailable.", exception);
        }
    }
}
