using Governance.Grains;
using Governance.Grains.Keys;
using Governance.Runtime.Hosting;
using Governance.Runtime.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Governance.Bench;

/// <summary>
/// The silo's grain runtime and governance grains on a plain ServiceCollection over a given
/// MemoryStore: no host, so no activation collector or reminder timer runs.
/// </summary>
public static class InProcessRuntime
{
    public static ServiceProvider Build(MemoryStore store)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddGrainRuntime().AddGovernanceGrains();
        services.AddSingleton<IApproverDirectory>(new FixedApproverDirectory(["alice", "bob"]));
        services.RemoveAll<MemoryStore>();
        services.AddSingleton(store);
        return services.BuildServiceProvider();
    }
}
