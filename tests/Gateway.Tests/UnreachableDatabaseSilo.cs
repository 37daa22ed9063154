using Governance.Gateway.Tests.Infrastructure;

namespace Governance.Gateway.Tests;

/// <summary>
/// The silo of <see cref="StorageUnavailableTests"/>: configured for PostgreSQL on a port where nothing
/// listens, without migrations at start, so it starts but every storage call fails.
/// </summary>
public sealed class UnreachableDatabaseSilo : SiloFixture<StorageUnavailableTests>
{
    protected override bool UsesTestDatabase => false;

    protected override void Configure(IDictionary<string, string?> settings)
    {
        settings["ConnectionStrings:Governance"] = "Host=127.0.0.1;Port=1;Username=postgres;Database=governance_test;Timeout=3";
        settings["Governance:Storage:Migrate"] = "false";
    }
}
