namespace Governance.Cluster.Tests.Cluster;

/// <summary>
/// The tests that start whole clusters of silo processes run one after another: several clusters at
/// once would starve each other of the machine's cores and the test server's connections.
/// </summary>
[CollectionDefinition(Name)]
public sealed class SiloClusterCollection
{
    public const string Name = "silo clusters";
}
