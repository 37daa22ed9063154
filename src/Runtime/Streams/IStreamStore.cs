namespace Governance.Runtime.Streams;

/// <summary>
/// Durable per-partition logs with per-consumer checkpoints. Appends are committed before they are
/// acknowledged; reading from a checkpoint can rewind and replay (delivery is at least once).
/// </summary>
public interface IStreamStore
{
    /// <summary>Appends all events in one transaction; positions come back in the order given.</summary>
    Task<IReadOnlyList<StreamPosition>> AppendAsync(IReadOnlyList<StreamAppend> appends, CancellationToken cancellationToken);

    /// <summary>
    /// For each position, the events of its partition with a greater seq, at most
    /// <paramref name="limitPerPartition"/> of each partition, ordered by partition and seq.
    /// </summary>
    Task<IReadOnlyList<StreamEvent>> ReadAsync(
        string streamNamespace, IReadOnlyList<StreamPosition> after, int limitPerPartition, CancellationToken cancellationToken);

    /// <summary>The last seq the consumer finished in each partition; a partition without a checkpoint is absent.</summary>
    Task<IReadOnlyDictionary<int, long>> GetCheckpointsAsync(
        string consumer, string streamNamespace, IReadOnlyCollection<int> partitions, CancellationToken cancellationToken);

    /// <summary>Moves the consumer's checkpoints forward (never back) in one statement.</summary>
    Task SaveCheckpointsAsync(string consumer, string streamNamespace, IReadOnlyList<StreamPosition> positions, CancellationToken cancellationToken);

    /// <summary>The partitions among <paramref name="partitions"/> holding events past the consumer's checkpoint.</summary>
    Task<IReadOnlyList<int>> GetPendingPartitionsAsync(
        string consumer, string streamNamespace, IReadOnlyCollection<int> partitions, CancellationToken cancellationToken);
}
