using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using Orleans.Streams;

namespace Governance.Storage.Streams;

/// <summary>
/// Reads one queue for Orleans' pulling agent. Keeps an in-memory read position (starting at the
/// durable checkpoint); a pulling tick queries only when a notification (or a previous full read, or a
/// failed one) says there may be events, and with nothing to read waits a little for a notification. Consecutive events of one stream become one batch container.
/// When Orleans confirms containers (the cache purged them), the checkpoint moves to the last event of
/// the longest confirmed prefix of what was read, and is written at most once per
/// <see cref="PostgresStreamOptions.CheckpointInterval"/> and at shutdown. Storage failures never
/// escape to the agent: they are logged once per outage and retried.
/// </summary>
internal sealed class PostgresQueueAdapterReceiver : IQueueAdapterReceiver
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    private readonly PostgresStreamLog _log;
    private readonly PostgresStreamNotifications _notifications;
    private readonly IStreamPayloadCodec _codec;
    private readonly PostgresStreamOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly int _queue;
    private readonly Action _onShutdown;

    // Guards the fields below: the pulling agent calls one method at a time, the failure handler may not.
    private readonly Lock _lock = new();
    private readonly Queue<PostgresBatchContainer> _unconfirmed = new();
    private readonly HashSet<PostgresBatchContainer> _confirmedOutOfOrder = new(ReferenceEqualityComparer.Instance);
    private bool _initialized;
    private long _position;
    private long _confirmed;
    private long _saved;
    private long _lastSaveTimestamp;
    private long _nextCleanupTimestamp;
    private bool _cleanupPending = true;
    private long _retryAfterTimestamp;
    private bool _unavailable;
    private int _wake = 1;
    private long _lastFruitfulReadTimestamp;
    private TaskCompletionSource _woken = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public PostgresQueueAdapterReceiver(
        PostgresStreamLog log, PostgresStreamNotifications notifications, IStreamPayloadCodec codec, PostgresStreamOptions options,
        TimeProvider time, ILogger logger, int queue, Action onShutdown)
    {
        _log = log;
        _notifications = notifications;
        _codec = codec;
        _options = options;
        _time = time;
        _logger = logger;
        _queue = queue;
        _onShutdown = onShutdown;
    }

    public int Queue => _queue;

    /// <summary>The last seq read so far (tests and diagnostics).</summary>
    public long Position => _position;

    public async Task Initialize(TimeSpan timeout)
    {
        _notifications.Subscribe(_queue, Wake);
        using var timeoutSource = new CancellationTokenSource(timeout);
        await TryInitializeAsync(timeoutSource.Token);
    }

    [Obsolete("Orleans calls the overload with a cancellation token.")]
    public Task<IList<IBatchContainer>> GetQueueMessagesAsync(int maxCount) => GetQueueMessagesAsync(maxCount, CancellationToken.None);

    public async Task<IList<IBatchContainer>> GetQueueMessagesAsync(int maxCount, CancellationToken cancellationToken)
    {
        if (_time.GetTimestamp() < _retryAfterTimestamp)
        {
            return [];
        }

        if (!_initialized && !await TryInitializeAsync(cancellationToken))
        {
            return [];
        }

        await SaveCheckpointIfDueAsync(force: false, cancellationToken);
        await CleanupIfDueAsync(cancellationToken);

        if (Interlocked.Exchange(ref _wake, 0) == 0 && !await WaitForWakeAsync(cancellationToken))
        {
            return [];
        }

        // Under load every append wakes the queue: reading at most once per interval gathers the appends
        // of several transactions into one read (and a model's events into one container).
        var sinceLastRead = _time.GetElapsedTime(_lastFruitfulReadTimestamp);
        if (sinceLastRead < _options.MinReadInterval)
        {
            await Task.Delay(_options.MinReadInterval - sinceLastRead, _time, cancellationToken)
                .ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ContinueOnCapturedContext);
            if (cancellationToken.IsCancellationRequested)
            {
                Wake();
                return [];
            }
        }

        var limit = maxCount <= 0 ? _options.ReadBatchSize : Math.Min(maxCount, _options.ReadBatchSize);
        List<StreamQueueEvent> events;
        try
        {
            events = await _log.ReadAsync(_queue, _position, limit, cancellationToken);
            Recovered();
        }
        catch (StorageUnavailableException exception)
        {
            Failed(exception);
            return [];
        }

        if (events.Count == limit)
        {
            // There may be more: read again at the next tick without waiting for a notification.
            Wake();
        }

        if (events.Count == 0)
        {
            return [];
        }

        _lastFruitfulReadTimestamp = _time.GetTimestamp();

        var containers = Group(events);
        lock (_lock)
        {
            foreach (var container in containers)
            {
                _unconfirmed.Enqueue((PostgresBatchContainer)container);
            }

            _position = events[^1].Seq;
        }

        return containers;
    }

    [Obsolete("Orleans calls the overload with a cancellation token.")]
    public Task MessagesDeliveredAsync(IList<IBatchContainer> messages) => MessagesDeliveredAsync(messages, CancellationToken.None);

    public async Task MessagesDeliveredAsync(IList<IBatchContainer> messages, CancellationToken cancellationToken)
    {
        Confirm(messages.OfType<PostgresBatchContainer>());
        await SaveCheckpointIfDueAsync(force: false, cancellationToken);
    }

    public async Task Shutdown(TimeSpan timeout)
    {
        _notifications.Unsubscribe(_queue);
        _onShutdown();
        using var timeoutSource = new CancellationTokenSource(timeout);
        await SaveCheckpointIfDueAsync(force: true, timeoutSource.Token);
        StreamLog.ReceiverStopped(_logger, _log.Provider, _queue, _saved);
    }

    /// <summary>
    /// The unconfirmed containers of <paramref name="streamId"/> that a delivery Orleans gave up on held: the one
    /// holding <paramref name="token"/>'s event, then up to <paramref name="maxContainers"/> − 1 more of the stream
    /// (a delivery takes up to that many), among those read at or before <paramref name="readBy"/> (a delivery is
    /// formed when it is first attempted, at least the maximum delivery time before it is given up). Empty when
    /// the token's container is no longer held.
    /// </summary>
    public List<PostgresBatchContainer> FindGivenUp(StreamId streamId, StreamSequenceToken token, int maxContainers, long readBy)
    {
        var found = new List<PostgresBatchContainer>();
        lock (_lock)
        {
            foreach (var container in _unconfirmed)
            {
                if (found.Count == maxContainers)
                {
                    break;
                }

                if (!container.StreamId.Equals(streamId))
                {
                    continue;
                }

                if (found.Count == 0 ? container.Seqs.Contains(token.SequenceNumber) : container.ReadTimestamp <= readBy)
                {
                    found.Add(container);
                }
                else if (found.Count > 0)
                {
                    break;
                }
            }
        }

        return found;
    }

    /// <summary>
    /// Counts <paramref name="containers"/> as delivered (Orleans confirms a delivery it gave up on never, so the
    /// failure handler does once their events are set aside); the checkpoint moves past the longest confirmed prefix.
    /// </summary>
    public void Confirm(IEnumerable<PostgresBatchContainer> containers)
    {
        lock (_lock)
        {
            foreach (var container in containers)
            {
                _confirmedOutOfOrder.Add(container);
            }

            while (_unconfirmed.TryPeek(out var oldest) && _confirmedOutOfOrder.Remove(oldest))
            {
                _unconfirmed.Dequeue();
                _confirmed = Math.Max(_confirmed, oldest.LastSeq);
            }
        }
    }

    private void Wake()
    {
        Interlocked.Exchange(ref _wake, 1);
        Volatile.Read(ref _woken).TrySetResult();
    }

    /// <summary>
    /// Waits up to <see cref="PostgresStreamOptions.NotificationWait"/> for a notification, so an event is read as
    /// soon as its append commits rather than at the next pulling tick. True (and the wake-up taken) if one came.
    /// </summary>
    private async Task<bool> WaitForWakeAsync(CancellationToken cancellationToken)
    {
        if (_options.NotificationWait <= TimeSpan.Zero)
        {
            return false;
        }

        // A fresh signal before the second look: a wake-up in between is seen by that look, a later one completes it.
        var woken = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _woken, woken);
        if (Interlocked.Exchange(ref _wake, 0) == 1)
        {
            return true;
        }

        await woken.Task.WaitAsync(_options.NotificationWait, _time, cancellationToken)
            .ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ContinueOnCapturedContext);
        return !cancellationToken.IsCancellationRequested && Interlocked.Exchange(ref _wake, 0) == 1;
    }

    private async Task<bool> TryInitializeAsync(CancellationToken cancellationToken)
    {
        try
        {
            var checkpoint = await _log.GetCheckpointAsync(_queue, cancellationToken);
            lock (_lock)
            {
                _position = _confirmed = _saved = checkpoint;
            }

            _initialized = true;
            _lastSaveTimestamp = _time.GetTimestamp();
            Wake();
            Recovered();
            StreamLog.ReceiverStarted(_logger, _log.Provider, _queue, checkpoint);
            return true;
        }
        catch (Exception exception) when (exception is StorageUnavailableException or OperationCanceledException)
        {
            Failed(exception);
            return false;
        }
    }

    private async Task SaveCheckpointIfDueAsync(bool force, CancellationToken cancellationToken)
    {
        long confirmed;
        lock (_lock)
        {
            confirmed = _confirmed;
        }

        if (!_initialized || confirmed <= _saved
            || (!force && _time.GetElapsedTime(_lastSaveTimestamp) < _options.CheckpointInterval))
        {
            return;
        }

        try
        {
            await _log.SaveCheckpointAsync(_queue, confirmed, cancellationToken);
            _saved = confirmed;
            _lastSaveTimestamp = _time.GetTimestamp();
            _cleanupPending = true;
            Recovered();
        }
        catch (Exception exception) when (exception is StorageUnavailableException or OperationCanceledException)
        {
            Failed(exception);
        }
    }

    private async Task CleanupIfDueAsync(CancellationToken cancellationToken)
    {
        if (!_cleanupPending || _time.GetTimestamp() < _nextCleanupTimestamp)
        {
            return;
        }

        try
        {
            var (deleted, remaining) = await _log.CleanupAsync(
                _queue, _time.GetUtcNow() - _options.Retention, _options.CleanupBatchSize, cancellationToken);
            if (deleted > 0)
            {
                StreamLog.CleanedUp(_logger, _log.Provider, _queue, deleted);
            }

            // A full batch: go on at the next tick. Otherwise wait an interval, or until the
            // checkpoint moves when nothing delivered is left.
            _cleanupPending = remaining;
            _nextCleanupTimestamp = deleted == _options.CleanupBatchSize
                ? 0
                : _time.GetTimestamp() + (long)(_options.CleanupInterval.TotalSeconds * _time.TimestampFrequency);
            Recovered();
        }
        catch (StorageUnavailableException exception)
        {
            Failed(exception);
        }
    }

    private List<IBatchContainer> Group(List<StreamQueueEvent> events)
    {
        var containers = new List<IBatchContainer>();
        var readAt = _time.GetTimestamp();
        var start = 0;
        for (var i = 1; i <= events.Count; i++)
        {
            if (i == events.Count || i - start == _options.MaxEventsPerContainer
                || !string.Equals(events[i].Key, events[start].Key, StringComparison.Ordinal)
                || !string.Equals(events[i].Namespace, events[start].Namespace, StringComparison.Ordinal))
            {
                var count = i - start;
                var seqs = new long[count];
                var payloads = new string[count];
                var appendedAt = new DateTimeOffset[count];
                for (var j = 0; j < count; j++)
                {
                    var e = events[start + j];
                    (seqs[j], payloads[j], appendedAt[j]) = (e.Seq, e.Payload, e.AppendedAt);
                }

                containers.Add(new PostgresBatchContainer(
                    StreamId.Create(events[start].Namespace, events[start].Key), seqs, payloads, appendedAt, _codec, readAt));
                start = i;
            }
        }

        return containers;
    }

    private void Failed(Exception exception)
    {
        Wake();
        _retryAfterTimestamp = _time.GetTimestamp() + (long)(RetryDelay.TotalSeconds * _time.TimestampFrequency);
        if (!_unavailable)
        {
            _unavailable = true;
            StreamLog.StorageUnavailable(_logger, exception, _log.Provider, _queue);
        }
        else
        {
            StreamLog.StorageStillUnavailable(_logger, _log.Provider, _queue, exception.Message);
        }
    }

    private void Recovered()
    {
        if (_unavailable)
        {
            _unavailable = false;
            StreamLog.StorageRecovered(_logger, _log.Provider, _queue);
        }
    }
}
