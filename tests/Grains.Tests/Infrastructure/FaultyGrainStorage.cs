using Governance.Storage;
using Orleans.Storage;

namespace Governance.Grains.Tests.Infrastructure;

/// <summary>
/// The <c>governance</c> grain storage of the grain tests: the real memory storage, with writes that
/// take a moment (as a database round trip does, so calls that were not serialized would interleave
/// between reading the state and committing it) and fail when <see cref="StorageFaults"/> says so.
/// </summary>
public sealed class FaultyGrainStorage(IGrainStorage inner, StorageFaults faults) : IGrainStorage, IGovernanceStorageHealth
{
    public Task CheckHealthAsync(CancellationToken cancellationToken) =>
        ((IGovernanceStorageHealth)inner).CheckHealthAsync(cancellationToken);

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ReadStateAsync(stateName, grainId, grainState);

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        await Task.Delay(1);
        if (faults.TakeFailure(grainId.Type.ToString()!))
        {
            throw new StorageUnavailableException($"The test fails the write of {grainId} on purpose.");
        }

        await inner.WriteStateAsync(stateName, grainId, grainState);
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ClearStateAsync(stateName, grainId, grainState);
}
