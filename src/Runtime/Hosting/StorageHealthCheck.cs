using Governance.Runtime.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Governance.Runtime.Hosting;

/// <summary>Ready means the grain store answers.</summary>
internal sealed class StorageHealthCheck(IGrainStorage storage) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await storage.CheckHealthAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (StorageUnavailableException exception)
        {
            return HealthCheckResult.Unhealthy("Grain storage is unavailable.", exception);
        }
    }
}
