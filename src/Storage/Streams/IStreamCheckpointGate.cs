using Orleans.Runtime;

namespace Governance.Storage.Streams;

/// <summary>
/// Lets the consumers of a PostgreSQL stream provider keep what they were delivered in memory for a while:
/// before a receiver saves a checkpoint, which says that events up to it need not come again after a
/// crash, the gate is asked to make durable what the consumers of the given streams were delivered up to
/// then. Without a gate in DI (keyed by the provider's name, or unkeyed), delivered counts as durable.
/// </summary>
public interface IStreamCheckpointGate
{
    /// <summary>
    /// Makes durable what the consumers of <paramref name="streams"/> were delivered so far. Returns false
    /// (or throws) when it could not: the receiver keeps its checkpoint where it was and asks again.
    /// </summary>
    Task<bool> MakeDeliveredDurableAsync(IReadOnlyCollection<StreamId> streams, CancellationToken cancellationToken);
}
