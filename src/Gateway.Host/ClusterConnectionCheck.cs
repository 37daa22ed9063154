using Governance.Client;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Governance.Gateway.Host;

/// <summary>Ready means the Orleans client holds a connection to at least one silo gateway.</summary>
internal sealed class ClusterConnectionCheck(ClusterConnectionStatus connection) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(connection.IsConnected
            ? HealthCheckResult.Healthy($"Connected to {connection.ConnectedGateways} silo gateway(s).")
            : HealthCheckResult.Unhealthy("No silo gateway is connected."));
}
