using Governance.Storage.Streams;

namespace Governance.Grains.Drift;

/// <summary>
/// The drift stream's checkpoint gate: before a queue's checkpoint moves, every model whose drift stream
/// was delivered to since the last one writes the results it holds unsaved
/// (<see cref="IModelGovernanceGrain.SaveDrift"/>), all at once, so they share group commits.
/// </summary>
internal sealed class DriftCheckpointGate(IGrainFactory grains) : IStreamCheckpointGate
{
    public async Task<bool> MakeDeliveredDurableAsync(IReadOnlyCollection<StreamId> streams, CancellationToken cancellationToken)
    {
        var saves = new List<Task>(streams.Count);
        foreach (var stream in streams)
        {
            if (stream.GetNamespace() == DriftStreams.Namespace)
            {
                saves.Add(grains.GetGrain<IModelGovernanceGrain>(stream.GetKeyAsString()).SaveDrift());
            }
        }

        // A model that could not save fails the whole: the checkpoint stays.
        await Task.WhenAll(saves).WaitAsync(cancellationToken);
        return true;
    }
}
