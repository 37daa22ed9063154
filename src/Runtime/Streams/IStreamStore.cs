namespace Governance.Runtime.Streams;

/// <summary>
/// Durable per-partition logs with per-consumer checkpoints. Appends are committed before they are
/// acknowledged; reading from a checkpoint can rewind and replay (delivery is at least once).
/// </summary>
public interface IStreamStore
{
    /// <summary>Appends all events in one transaction; positions come back in the order given.</summary>
    Task<IReadOnlyList<StreamPosition>> AppendAsync(IReadOnlyList<StreamAppend> appends, CancellationToken cancellationToken);

    /// <summary>Events of one partition with seq greater than <paramref name="afterSeq"/>, in order.</summary>
    Task<IReadOnlyList<StreamEvent>> ReadAsync(
        string streamNamespace, int partition, long afterSeq, int limit, CancellationToken cancellationToken);

    /// <summary>The last seq the consumer finished in the partition (0 when none).</summary>
    Task<long> GetCheckpointAsync(string consumer, string streamNamespace, int partition, CancellationToken cancellationToken);

    Task SaveCheckpointAsync(string consumer, string streamNamespace, int partition, long seq, CancellationToken cancellationToken);

    /// <summary>The partitions among <paramref name="partitions"/> holding events past the consumer's checkpoint.</summary>
    Task<IReadOnlyList<int>> GetPendingPartitionsAsync(
        string consumer, string streamNamespace, IReadOnlyCollection<int> partitions, CancellationToken cancellationToken);
}
