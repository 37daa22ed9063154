using Governance.Grains.Wire;

namespace Governance.Grains.Tests.Infrastructure;

/// <summary>
/// Calls the model grain of the same key from inside the cluster, as the drift monitor and the
/// expiry catch-up do: the tests' way to the model's cluster-only methods.
/// </summary>
public interface IModelRelayGrain : IGrainWithStringKey
{
    Task ExpireIfDue();

    Task<DriftView> RecordDrift(IReadOnlyList<DriftRecord> records);

    Task<DriftProgress> RecordDriftEvents(IReadOnlyList<DriftStreamEvent> events);
}
