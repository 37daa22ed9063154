namespace Governance.Bench;

/// <summary>
/// One <see cref="GatewayClient"/> and <see cref="GovernanceScenario"/> per gateway of a cluster
/// (each <c>--url</c>, or each silo of a <see cref="BenchCluster"/>); disposing closes the clients.
/// </summary>
public sealed class GatewayScenarios : IDisposable
{
    private readonly GatewayClient[] _gateways;

    public GatewayScenarios(IEnumerable<Uri> urls, int connections)
    {
        _gateways = [.. urls.Select(url => new GatewayClient(url, connections))];
        Scenarios = [.. _gateways.Select(gateway => new GovernanceScenario(gateway))];
    }

    public GovernanceScenario[] Scenarios { get; }

    /// <summary>The scenario of gateway <paramref name="i"/> mod n: spreads work i over the gateways.</summary>
    public GovernanceScenario For(int i) => Scenarios[i % Scenarios.Length];

    public void Dispose()
    {
        foreach (var gateway in _gateways)
        {
            gateway.Dispose();
        }
    }
}
