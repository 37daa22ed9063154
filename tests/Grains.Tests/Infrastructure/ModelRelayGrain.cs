using Governance.Grains.Wire;

namespace Governance.Grains.Tests.Infrastructure;

public sealed class ModelRelayGrain : Grain, IModelRelayGrain
{
    public Task ExpireIfDue() => Model().ExpireIfDue();

    public Task<DriftView> RecordDrift(IReadOnlyList<DriftRecord> records) => Model().RecordDrift(records);

    private IModelGovernanceGrain Model() => GrainFactory.GetGrain<IModelGovernanceGrain>(this.GetPrimaryKeyString());
}
