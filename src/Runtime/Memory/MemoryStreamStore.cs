using Governance.Runtime.Streams;

namespace Governance.Runtime.Memory;

/// <summary>
/// In-process stream logs and checkpoints, with the contract of the PostgreSQL provider. Memory is
/// bounded by what the consumers have not finished: once every consumer of a namespace (the
/// subscriptions of this process and any consumer that saved a checkpoint in it) checkpointed events,
/// they are dropped at once. Each log is a window of seqs after a base, so reads are O(1) by seq.
/// </summary>
public sealed class MemoryStreamStore(TimeProvider time, IEnumerable<StreamSubscription> subscriptions) : IStreamStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(string Namespace, int Partition), PartitionLog> _logs = [];
    private readonly Dictionary<(string Consumer, string Namespace, int Partition), long> _checkpoints = [];
    private readonly Dictionary<string, HashSet<string>> _consumers = subscriptions
        .GroupBy(s => s.Namespace, StringComparer.Ordinal)
        .ToDictionary(g => g.Key, g => g.Select(s => s.GrainTypeName).ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal);

    private readonly List<SetAsideEvent> _setAside = [];

    public Task<IReadOnlyList<StreamPosition>> AppendAsync(IReadOnlyList<StreamAppend> appends, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var positions = new List<StreamPosition>(appends.Count);
        lock (_lock)
        {
            foreach (var append in appends)
            {
                var partition = append.Partition;
                if (!_logs.TryGetValue((append.Namespace, partition), out var log))
                {
                    _logs[(append.Namespace, partition)] = log = new PartitionLog();
                }

                var seq = log.Head + 1;
                log.Events.Add(new StreamEvent(append.Namespace, append.Key, partition, seq, append.Payload, now));
                positions.Add(new StreamPosition(partition, seq));
            }
        }

        return Task.FromResult<IReadOnlyList<StreamPosition>>(positions);
    }

    public Task<IReadOnlyList<StreamEvent>> ReadAsync(
        string streamNamespace, IReadOnlyList<StreamPosition> after, int limitPerPartition, CancellationToken cancellationToken)
    {
        var events = new List<StreamEvent>();
        lock (_lock)
        {
            foreach (var from in after.OrderBy(position => position.Partition))
            {
                if (_logs.TryGetValue((streamNamespace, from.Partition), out var log))
                {
                    var start = (int)Math.Clamp(from.Seq - log.Base, 0, log.Events.Count);
                    events.AddRange(log.Events.GetRange(start, Math.Min(limitPerPartition, log.Events.Count - start)));
                }
            }
        }

        return Task.FromResult<IReadOnlyList<StreamEvent>>(events);
    }

    public Task<IReadOnlyDictionary<int, long>> GetCheckpointsAsync(
        string consumer, string streamNamespace, IReadOnlyCollection<int> partitions, CancellationToken cancellationToken)
    {
        var found = new Dictionary<int, long>();
        lock (_lock)
        {
            foreach (var partition in partitions)
            {
                if (_checkpoints.TryGetValue((consumer, streamNamespace, partition), out var seq))
                {
                    found[partition] = seq;
                }
            }
        }

        return Task.FromResult<IReadOnlyDictionary<int, long>>(found);
    }

    public Task SaveCheckpointsAsync(string consumer, string streamNamespace, IReadOnlyList<StreamPosition> positions, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            ConsumersOf(streamNamespace).Add(consumer);
            foreach (var position in positions)
            {
                var key = (consumer, streamNamespace, position.Partition);
                _checkpoints[key] = Math.Max(_checkpoints.GetValueOrDefault(key), position.Seq);
                DropCheckpointed(streamNamespace, position.Partition, [], DateTimeOffset.MaxValue, int.MaxValue);
            }
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<int>> GetPendingPartitionsAsync(
        string consumer, string streamNamespace, IReadOnlyCollection<int> partitions, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            IReadOnlyList<int> pending = _logs
                .Where(log => log.Key.Namespace == streamNamespace && partitions.Contains(log.Key.Partition))
                .Where(log => log.Value.Head > _checkpoints.GetValueOrDefault((consumer, streamNamespace, log.Key.Partition)))
                .Select(log => log.Key.Partition)
                .ToList();
            return Task.FromResult(pending);
        }
    }

    public Task SetAsideAsync(string consumer, StreamEvent streamEvent, string error, int attempts, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var known = _setAside.Exists(s =>
                s.Consumer == consumer && s.Namespace == streamEvent.Namespace && s.Partition == streamEvent.Partition && s.Seq == streamEvent.Seq);
            if (!known)
            {
                _setAside.Add(new SetAsideEvent(
                    _setAside.Count + 1, consumer, streamEvent.Namespace, streamEvent.Partition, streamEvent.Seq, streamEvent.Key,
                    streamEvent.Payload, streamEvent.AppendedAt, error, attempts, time.GetUtcNow()));
            }
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<SetAsideEvent>> ListSetAsideAsync(
        string streamNamespace, string? key, long afterId, int limit, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            // Ids are list positions + 1: start right after afterId.
            IReadOnlyList<SetAsideEvent> page = _setAside
                .Skip((int)Math.Clamp(afterId, 0, _setAside.Count))
                .Where(s => s.Namespace == streamNamespace && (key is null || s.Key == key))
                .Take(limit)
                .ToList();
            return Task.FromResult(page);
        }
    }

    public Task<int> DeleteCheckpointedAsync(
        string streamNamespace, IReadOnlyCollection<string> consumers, IReadOnlyCollection<int> partitions, DateTimeOffset appendedBefore,
        int limitPerPartition, CancellationToken cancellationToken)
    {
        var deleted = 0;
        lock (_lock)
        {
            foreach (var partition in partitions)
            {
                deleted += DropCheckpointed(streamNamespace, partition, consumers, appendedBefore, limitPerPartition);
            }
        }

        return Task.FromResult(deleted);
    }

    private HashSet<string> ConsumersOf(string streamNamespace)
    {
        if (!_consumers.TryGetValue(streamNamespace, out var consumers))
        {
            _consumers[streamNamespace] = consumers = new HashSet<string>(StringComparer.Ordinal);
        }

        return consumers;
    }

    /// <summary>
    /// Drops the oldest events of the partition that every consumer checkpointed (a consumer without
    /// a checkpoint there keeps everything), appended before <paramref name="appendedBefore"/>, at
    /// most <paramref name="limit"/>. Holds the lock.
    /// </summary>
    private int DropCheckpointed(string streamNamespace, int partition, IEnumerable<string> consumers, DateTimeOffset appendedBefore, int limit)
    {
        if (!_logs.TryGetValue((streamNamespace, partition), out var log))
        {
            return 0;
        }

        var all = ConsumersOf(streamNamespace).Union(consumers, StringComparer.Ordinal).ToList();
        if (all.Count == 0)
        {
            return 0;
        }

        var floor = all.Min(consumer => _checkpoints.GetValueOrDefault((consumer, streamNamespace, partition)));
        var count = (int)Math.Clamp(floor - log.Base, 0, Math.Min(limit, log.Events.Count));
        while (count > 0 && log.Events[count - 1].AppendedAt >= appendedBefore)
        {
            count--;
        }

        log.Events.RemoveRange(0, count);
        log.Base += count;
        return count;
    }

    /// <summary>The events of one partition still kept: seqs <see cref="Base"/> + 1 up to <see cref="Head"/>.</summary>
    private sealed class PartitionLog
    {
        public long Base { get; set; }

        public List<StreamEvent> Events { get; } = [];

        public long Head => Base + Events.Count;
    }
}
