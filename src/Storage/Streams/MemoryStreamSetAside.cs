namespace Governance.Storage.Streams;

/// <summary>
/// The memory twin of <see cref="PostgresStreamSetAside"/> (embedded mode and tests): same rules,
/// kept for the life of the process. The partition is the event's queue among <paramref name="queueCount"/>.
/// </summary>
public sealed class MemoryStreamSetAside(TimeProvider time, int queueCount = 8) : IStreamSetAside
{
    private readonly Lock _lock = new();
    private readonly List<SetAsideEvent> _events = [];

    public MemoryStreamSetAside()
        : this(TimeProvider.System)
    {
    }

    public Task SetAsideAsync(
        string consumer, string streamNamespace, string key, long seq, string payload, string error, int attempts,
        CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var partition = PostgresStreamQueueMapper.QueueOf(key, queueCount);
        lock (_lock)
        {
            if (!_events.Exists(e => e.Consumer == consumer && e.Namespace == streamNamespace && e.Partition == partition && e.Seq == seq))
            {
                var now = time.GetUtcNow();
                _events.Add(new SetAsideEvent(_events.Count + 1, consumer, streamNamespace, partition, seq, key, payload, now, error, attempts, now));
            }
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<SetAsideEvent>> ListAsync(
        string streamNamespace, string? key, long afterId, int limit, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            IReadOnlyList<SetAsideEvent> page =
            [
                .. _events
                    .Where(e => e.Namespace == streamNamespace && (key is null || e.Key == key) && e.Id > afterId)
                    .Take(Math.Max(limit, 0)),
            ];
            return Task.FromResult(page);
        }
    }
}
