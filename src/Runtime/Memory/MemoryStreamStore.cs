using Governance.Runtime.Streams;

namespace Governance.Runtime.Memory;

/// <summary>In-process stream logs and checkpoints, with the contract of the PostgreSQL provider.</summary>
public sealed class MemoryStreamStore(TimeProvider time) : IStreamStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(string Namespace, int Partition), List<StreamEvent>> _logs = [];
    private readonly Dictionary<(string Consumer, string Namespace, int Partition), long> _checkpoints = [];

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
                    _logs[(append.Namespace, partition)] = log = [];
                }

                var seq = log.Count + 1L;
                log.Add(new StreamEvent(append.Namespace, append.Key, partition, seq, append.Payload, now));
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
                    events.AddRange(log.Skip((int)Math.Min(from.Seq, log.Count)).Take(limitPerPartition));
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
            foreach (var position in positions)
            {
                var key = (consumer, streamNamespace, position.Partition);
                _checkpoints[key] = Math.Max(_checkpoints.GetValueOrDefault(key), position.Seq);
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
                .Where(log => log.Value.Count > _checkpoints.GetValueOrDefault((consumer, streamNamespace, log.Key.Partition)))
                .Select(log => log.Key.Partition)
                .ToList();
            return Task.FromResult(pending);
        }
    }
}
