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

    /// <summary>
    /// Records durably that <paramref name="consumer"/> gave up on <paramref name="streamEvent"/>
    /// after <paramref name="attempts"/> failed deliveries, the last with <paramref name="error"/>.
    /// Once this returns, the consumer's checkpoint may pass the event. Setting the same event aside
    /// again for the same consumer keeps the first record.
    /// </summary>
    Task SetAsideAsync(string consumer, StreamEvent streamEvent, string error, int attempts, CancellationToken cancellationToken);

    /// <summary>
    /// Events set aside in <paramref name="streamNamespace"/> (by any consumer), of
    /// <paramref name="key"/> only unless it is null, with an id above <paramref name="afterId"/>:
    /// at most <paramref name="limit"/>, by id.
    /// </summary>
    Task<IReadOnlyList<SetAsideEvent>> ListSetAsideAsync(
        string streamNamespace, string? key, long afterId, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes events of <paramref name="partitions"/> that every consumer of the namespace
    /// checkpointed and that were appended before <paramref name="appendedBefore"/>: at most
    /// <paramref name="limitPerPartition"/> per partition, oldest first. The consumers are
    /// <paramref name="consumers"/> and every consumer with a checkpoint in the namespace; one
    /// without a checkpoint in a partition has consumed nothing of it, so nothing of it is deleted.
    /// Seqs keep counting from the partition's head. Returns how many were deleted.
    /// </summary>
    Task<int> DeleteCheckpointedAsync(
        string streamNamespace, IReadOnlyCollection<string> consumers, IReadOnlyCollection<int> partitions, DateTimeOffset appendedBefore,
        int limitPerPartition, CancellationToken cancellationToken);
}
