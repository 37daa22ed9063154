using Governance.Grains.Wire;

namespace Governance.Grains.Tests.Infrastructure;

public sealed class ModelRelayGrain : Grain, IModelRelayGrain
{
    public Task ExpireIfDue() => Model().ExpireIfDue();

    public Task<DriftView> RecordDrift(IReadOnlyList<DriftRecord> records) => Model().RecordDrift(records);

    public Task<DriftProgress> RecordDriftEvents(IReadOnlyList<DriftStreamEvent> events) => Model().RecordDriftEvents(events);

    private IModelGovernanceGrain Model() => GrainFactory.GetGrain<IModelGovernanceGrain>(this.GetPrimaryKeyString());
}
