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
        string streamNamespace, int partition, long afterSeq, int limit, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            IReadOnlyList<StreamEvent> events = _logs.TryGetValue((streamNamespace, partition), out var log)
                ? log.Skip((int)Math.Min(afterSeq, log.Count)).Take(limit).ToList()
                : [];
            return Task.FromResult(events);
        }
    }

    public Task<long> GetCheckpointAsync(string consumer, string streamNamespace, int partition, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_checkpoints.GetValueOrDefault((consumer, streamNamespace, partition)));
        }
    }

    public Task SaveCheckpointAsync(string consumer, string streamNamespace, int partition, long seq, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _checkpoints[(consumer, streamNamespace, partition)] = seq;
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
