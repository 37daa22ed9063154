using Governance.Grains.Keys;
using Governance.Grains.Models;
using Governance.Grains.Policy;
using Governance.Runtime.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Governance.Grains;

public static class GrainsServiceCollectionExtensions
{
    /// <summary>Registers the governance grains and their domain services with the runtime.</summary>
    public static GrainRuntimeBuilder AddGovernanceGrains(this GrainRuntimeBuilder builder)
    {
        builder.AddGrain<IModelGovernanceGrain, ModelGovernanceGrain>();
        builder.AddGrain<IApproverKeysGrain, ApproverKeysGrain>();
        builder.Services.TryAddSingleton<IPolicyCatalog, BuiltInPolicyCatalog>();
        builder.Services.TryAddSingleton<IModelDirectory, ModelDirectory>();
        return builder;
    }
}
