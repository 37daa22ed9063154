using System.Collections.Concurrent;
using Governance.Runtime.Activation;
using Governance.Runtime.Reminders;
using Governance.Runtime.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Governance.Runtime.Streams;

/// <summary>
/// Delivers stream events of the owned partitions to their subscriber grains in rounds: every
/// partition with news is read in one query, each key gets all its new events in one call (keys
/// concurrently, each in order), then the checkpoints move. Under load a round carries more events
/// per key, so the cost per event falls. Woken by <see cref="StreamWakeups"/>; a periodic sweep
/// covers missed notifications.
/// </summary>
/// <remarks>
/// No single event may block its partition. When a key's events fail together (with an error that is
/// not transient: see <see cref="IsTransient"/>), they are delivered again one at a time, so only an
/// event that fails on its own counts an attempt; after <see cref="StreamOptions.MaxDeliveryAttempts"/>
/// it is set aside (recorded durably through <see cref="IStreamStore.SetAsideAsync"/>, logged once,
/// counted) and the key's later events follow it. Each sweep interval, events every consumer of a
/// namespace checkpointed are deleted once older than <see cref="StreamOptions.Retention"/>.
/// </remarks>
internal sealed class StreamPump(
    IStreamStore store,
    StreamWakeups wakeups,
    IEnumerable<StreamSubscription> subscriptions,
    IPartitionOwnership ownership,
    GrainDispatcher dispatcher,
    TimeProvider time,
    IOptions<StreamOptions> options,
    ILogger<StreamPump> logger) : BackgroundService
{
    /// <summary>How long a stopping pump tries to save its last checkpoints.</summary>
    private static readonly TimeSpan StopSaveTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Events deleted per partition by one retention statement, at most.</summary>
    private const int RetentionBatchPerPartition = 500;

    /// <summary>The error text kept with a set-aside event is cut to this many characters.</summary>
    private const int MaxErrorLength = 4000;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(subscriptions
            .Select(s => Task.Run(() => RunAsync(s, stoppingToken), stoppingToken))
            .Concat(subscriptions
                .GroupBy(s => s.Namespace, StringComparer.Ordinal)
                .Select(g => Task.Run(() => RetainAsync(g.Key, [.. g.Select(s => s.GrainTypeName)], stoppingToken), stoppingToken))));

    /// <summary>
    /// Failures an error other than these count towards setting an event aside. These say nothing
    /// about the event: the store was unreachable, a write met a concurrent one, the call was
    /// cancelled, or the subscriber asked for its partition again from the saved checkpoint.
    /// </summary>
    internal static bool IsTransient(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is StorageUnavailableException or ETagConflictException or OperationCanceledException or StreamRedeliveryRequiredException)
            {
                return true;
            }
        }

        return false;
    }

    private async Task RunAsync(StreamSubscription subscription, CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var state = new DeliveryState();
        var signals = wakeups.Subscribe(subscription.Namespace);
        var checkpoints = new Dictionary<int, long>();
        var unsaved = new Dictionary<int, long>();
        var delivered = new Dictionary<(int Partition, string Key), long>();
        var lastSave = time.GetTimestamp();
        var retryAt = new Dictionary<int, long>();
        var pending = new HashSet<int>();
        var lastRound = new Dictionary<int, long>();
        var round = 0L;
        var sweepDue = true;
        var lastSweep = time.GetTimestamp();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (sweepDue)
                {
                    lastSweep = time.GetTimestamp();
                    var owned = ownership.OwnedPartitions;
                    pending.UnionWith(await store.GetPendingPartitionsAsync(subscription.GrainTypeName, subscription.Namespace, owned, stoppingToken));
                    sweepDue = false;
                }

                var now = time.GetTimestamp();
                var ready = pending.Where(p => !retryAt.TryGetValue(p, out var at) || at <= now).ToList();
                if (ready.Count > settings.MaxPartitionsPerRound)
                {
                    // More partitions have news than one round takes: those served longest ago go first.
                    ready = [.. ready.OrderBy(p => lastRound.GetValueOrDefault(p)).Take(settings.MaxPartitionsPerRound)];
                }

                if (ready.Count > 0)
                {
                    round++;
                    foreach (var partition in ready)
                    {
                        lastRound[partition] = round;
                    }

                    pending.ExceptWith(ready);
                    foreach (var (partition, outcome) in await DeliverRoundAsync(subscription, ready, checkpoints, unsaved, delivered, state, stoppingToken))
                    {
                        retryAt.Remove(partition);
                        if (outcome != PartitionOutcome.Drained)
                        {
                            pending.Add(partition);
                        }

                        if (outcome == PartitionOutcome.Failed)
                        {
                            retryAt[partition] = now + (long)(settings.RetryDelay.TotalSeconds * time.TimestampFrequency);
                        }
                    }
                }

                // Checkpoints are saved at most once per interval (the first one after a quiet spell at
                // once), each after the subscribers made what they were handed durable: under load a
                // subscriber writes once per interval rather than once per event. A crash replays at most
                // an interval of events, which subscribers skip (they are idempotent).
                var wait = NextWait(pending, retryAt, lastSweep, settings);
                if (delivered.Count > 0 || unsaved.Count > 0)
                {
                    var untilSave = settings.CheckpointInterval - time.GetElapsedTime(lastSave);
                    if (untilSave <= TimeSpan.Zero)
                    {
                        foreach (var partition in await SaveCheckpointsAsync(subscription, unsaved, delivered, state, stoppingToken))
                        {
                            // Back to its saved checkpoint: what was delivered since comes again.
                            checkpoints.Remove(partition);
                            pending.Add(partition);
                            wait = TimeSpan.Zero;
                        }

                        lastSave = time.GetTimestamp();
                    }
                    else if (untilSave < wait)
                    {
                        wait = untilSave;
                    }
                }

                var sweepRequested = await WaitForWorkAsync(signals, pending, wait, stoppingToken);

                // A partition that keeps failing must not starve the sweep of the others.
                sweepDue = sweepRequested || time.GetElapsedTime(lastSweep) >= settings.SweepInterval;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception exception)
            {
                RuntimeLog.StreamPumpFailed(logger, exception, subscription.Namespace, subscription.GrainTypeName);

                // Back to the saved checkpoints: what was delivered since is delivered again.
                checkpoints.Clear();
                unsaved.Clear();
                delivered.Clear();
                sweepDue = true;
                await Task.Delay(settings.RetryDelay, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }

        await SaveOnStopAsync(subscription, unsaved, delivered, state);
    }

    /// <summary>
    /// Each sweep interval, deletes the events of the owned partitions of <paramref name="streamNamespace"/>
    /// that every consumer checkpointed and that are older than the retention (bounded per partition).
    /// </summary>
    private async Task RetainAsync(string streamNamespace, IReadOnlyCollection<string> consumers, CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var failing = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(settings.SweepInterval, time, stoppingToken);
                var appendedBefore = time.GetUtcNow() - settings.Retention;
                var deleted = 0;
                foreach (var partitions in ownership.OwnedPartitions.Chunk(settings.MaxPartitionsPerRound))
                {
                    deleted += await store.DeleteCheckpointedAsync(
                        streamNamespace, consumers, partitions, appendedBefore, RetentionBatchPerPartition, stoppingToken);
                }

                failing = false;
                if (deleted > 0)
                {
                    RuntimeMetrics.StreamEventsDeleted.Add(deleted);
                    RuntimeLog.StreamEventsDeleted(logger, streamNamespace, deleted);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception exception)
            {
                if (failing)
                {
                    RuntimeLog.StreamRetentionFailedAgain(logger, streamNamespace, exception.Message);
                }
                else
                {
                    RuntimeLog.StreamRetentionFailed(logger, exception, streamNamespace);
                    failing = true;
                }
            }
        }
    }

    /// <summary>
    /// Asks every key delivered to since the last save to make those events' effects durable, then
    /// saves the checkpoints of the partitions whose keys all did. Returns the other partitions.
    /// </summary>
    private async Task<ICollection<int>> SaveCheckpointsAsync(
        StreamSubscription subscription, Dictionary<int, long> unsaved, Dictionary<(int Partition, string Key), long> delivered,
        DeliveryState state, CancellationToken cancellationToken)
    {
        var refused = new ConcurrentDictionary<int, bool>();
        await Parallel.ForEachAsync(
            delivered,
            new ParallelOptions { MaxDegreeOfParallelism = options.Value.MaxConcurrentKeys, CancellationToken = cancellationToken },
            async (entry, token) =>
            {
                var grain = new GrainId(subscription.GrainTypeName, entry.Key.Key);
                try
                {
                    if (!await dispatcher.CheckpointStreamAsync(grain, entry.Value, token))
                    {
                        RuntimeLog.StreamCheckpointRefused(logger, null, subscription.Namespace, entry.Key.Partition, entry.Value, grain);
                        refused[entry.Key.Partition] = true;
                    }
                }
                catch (Exception exception) when (exception is not OperationCanceledException || !token.IsCancellationRequested)
                {
                    RuntimeLog.StreamCheckpointRefused(logger, exception, subscription.Namespace, entry.Key.Partition, entry.Value, grain);
                    refused[entry.Key.Partition] = true;
                }
            });

        var positions = unsaved.Where(p => !refused.ContainsKey(p.Key)).Select(p => new StreamPosition(p.Key, p.Value)).ToList();
        if (positions.Count > 0)
        {
            await store.SaveCheckpointsAsync(subscription.GrainTypeName, subscription.Namespace, positions, cancellationToken);
            state.Passed(positions);
        }

        unsaved.Clear();
        delivered.Clear();
        return refused.Keys;
    }

    /// <summary>Saves what was delivered since the last save, so a clean restart replays nothing; failing that, it is replayed.</summary>
    private async Task SaveOnStopAsync(
        StreamSubscription subscription, Dictionary<int, long> unsaved, Dictionary<(int Partition, string Key), long> delivered, DeliveryState state)
    {
        if (delivered.Count == 0 && unsaved.Count == 0)
        {
            return;
        }

        using var timeout = new CancellationTokenSource(StopSaveTimeout);
        try
        {
            await SaveCheckpointsAsync(subscription, unsaved, delivered, state, timeout.Token);
        }
        catch (Exception exception)
        {
            RuntimeLog.StreamPumpFailed(logger, exception, subscription.Namespace, subscription.GrainTypeName);
        }
    }

    /// <summary>No wait while a partition is ready; else until the next retry or the next sweep, whichever is first.</summary>
    private TimeSpan NextWait(HashSet<int> pending, Dictionary<int, long> retryAt, long lastSweep, StreamOptions settings)
    {
        var now = time.GetTimestamp();
        if (pending.Any(p => !retryAt.ContainsKey(p)))
        {
            return TimeSpan.Zero;
        }

        var wait = settings.SweepInterval - time.GetElapsedTime(lastSweep);
        foreach (var at in retryAt.Values)
        {
            var untilRetry = TimeSpan.FromSeconds((double)(at - now) / time.TimestampFrequency);
            wait = untilRetry < wait ? untilRetry : wait;
        }

        return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
    }

    /// <summary>Waits up to <paramref name="wait"/> for a notification, then takes all; returns whether a sweep was asked for.</summary>
    private static async Task<bool> WaitForWorkAsync(
        System.Threading.Channels.ChannelReader<int> signals, HashSet<int> pending, TimeSpan wait, CancellationToken stoppingToken)
    {
        if (wait > TimeSpan.Zero && !signals.TryPeek(out _))
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            timeout.CancelAfter(wait);
            try
            {
                await signals.WaitToReadAsync(timeout.Token);
            }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
                // The wait is over: a retry or the sweep is due.
            }
        }

        var sweep = false;
        while (signals.TryRead(out var partition))
        {
            if (partition == StreamWakeups.SweepAll)
            {
                sweep = true;
            }
            else
            {
                pending.Add(partition);
            }
        }

        return sweep;
    }

    /// <summary>
    /// One round: reads the next events of every given partition in one query, hands each key its
    /// events in one call (keys concurrently), then moves the in-memory checkpoints; the moved ones
    /// are noted in <paramref name="unsaved"/> until they are saved.
    /// </summary>
    private async Task<Dictionary<int, PartitionOutcome>> DeliverRoundAsync(
        StreamSubscription subscription, List<int> partitions, Dictionary<int, long> checkpoints, Dictionary<int, long> unsaved,
        Dictionary<(int Partition, string Key), long> delivered, DeliveryState state, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var unknown = partitions.Where(p => !checkpoints.ContainsKey(p)).ToList();
        if (unknown.Count > 0)
        {
            var stored = await store.GetCheckpointsAsync(subscription.GrainTypeName, subscription.Namespace, unknown, cancellationToken);
            foreach (var partition in unknown)
            {
                checkpoints[partition] = stored.GetValueOrDefault(partition);
            }
        }

        var events = await store.ReadAsync(
            subscription.Namespace, [.. partitions.Select(p => new StreamPosition(p, checkpoints[p]))], settings.ReadBatch, cancellationToken);

        // A partition's checkpoint may only pass events every key of it finished (delivered or set
        // aside): it stops before the first failure, or goes back to the saved checkpoint when a key
        // asked for a redelivery.
        var firstFailed = new ConcurrentDictionary<int, long>();
        var redeliver = new ConcurrentDictionary<int, bool>();
        var succeeded = new ConcurrentBag<((int Partition, string Key) Key, long Seq)>();
        await Parallel.ForEachAsync(
            events.GroupBy(e => (e.Partition, e.Key)),
            new ParallelOptions { MaxDegreeOfParallelism = settings.MaxConcurrentKeys, CancellationToken = cancellationToken },
            async (keyEvents, token) =>
            {
                // Events set aside before (read again after a rewind) are not delivered again.
                var batch = keyEvents.Where(e => !state.SetAside.ContainsKey((e.Partition, e.Seq))).ToList();
                if (batch.Count == 0)
                {
                    return;
                }

                var outcome = await DeliverKeyAsync(subscription, batch, state, token);
                if (outcome.Redeliver)
                {
                    redeliver[batch[0].Partition] = true;
                    return;
                }

                if (outcome.Delivered is { } last)
                {
                    succeeded.Add((keyEvents.Key, last));
                }

                if (outcome.FailedAt is { } failedSeq)
                {
                    firstFailed.AddOrUpdate(batch[0].Partition, failedSeq, (_, seen) => Math.Min(seen, failedSeq));
                }
            });

        foreach (var (key, seq) in succeeded)
        {
            delivered[key] = Math.Max(seq, delivered.GetValueOrDefault(key));
        }

        var outcomes = partitions.ToDictionary(p => p, _ => PartitionOutcome.Drained);
        foreach (var read in events.GroupBy(e => e.Partition))
        {
            var failed = firstFailed.TryGetValue(read.Key, out var failedSeq);
            if (redeliver.ContainsKey(read.Key))
            {
                // The subscriber lost effects of events delivered before (state it kept unsaved): it
                // needs every event since the saved checkpoint, which its durable state has reached.
                checkpoints.Remove(read.Key);
                unsaved.Remove(read.Key);
                outcomes[read.Key] = failed ? PartitionOutcome.Failed : PartitionOutcome.MoreRemain;
                continue;
            }

            var reached = failed ? failedSeq - 1 : read.Last().Seq;
            if (reached > checkpoints[read.Key])
            {
                checkpoints[read.Key] = reached;
                unsaved[read.Key] = reached;
            }

            outcomes[read.Key] = failed ? PartitionOutcome.Failed
                : read.Count() == settings.ReadBatch ? PartitionOutcome.MoreRemain
                : PartitionOutcome.Drained;
        }

        return outcomes;
    }

    /// <summary>
    /// Delivers one key's events in order: all in one call, or (once they failed together, or when the
    /// first is known to fail) one at a time, so that only an event failing on its own counts an
    /// attempt. An event out of attempts is set aside and the key goes on after it.
    /// </summary>
    private async Task<KeyOutcome> DeliverKeyAsync(StreamSubscription subscription, List<StreamEvent> batch, DeliveryState state, CancellationToken token)
    {
        var grain = new GrainId(subscription.GrainTypeName, batch[0].Key);
        var oneByOne = state.Failures.TryGetValue((batch[0].Partition, batch[0].Seq), out var known) && known.Attempts > 0;
        long? delivered = null;
        var next = 0;
        while (next < batch.Count)
        {
            var events = oneByOne ? batch.GetRange(next, 1) : batch.GetRange(next, batch.Count - next);
            var first = events[0];
            try
            {
                await dispatcher.DeliverStreamEventsAsync(grain, events, token);
                delivered = events[^1].Seq;
                next += events.Count;
                state.Delivered(events);
                continue;
            }
            catch (StreamRedeliveryRequiredException exception)
            {
                RuntimeLog.StreamRedeliveryRequired(logger, exception, subscription.Namespace, first.Partition, grain);
                return new KeyOutcome(null, null, Redeliver: true);
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !token.IsCancellationRequested)
            {
                var transient = IsTransient(exception);
                if (!transient && events.Count > 1)
                {
                    // Which of them fails? Each on its own tells.
                    oneByOne = true;
                    continue;
                }

                var failure = state.Failures.GetOrAdd((first.Partition, first.Seq), _ => new EventFailure());
                failure.Attempts += transient ? 0 : 1;
                LogFailure(subscription, grain, first, failure, exception);
                if (transient || failure.Attempts < options.Value.MaxDeliveryAttempts
                    || !await TrySetAsideAsync(subscription, grain, first, failure, exception, state, token))
                {
                    return new KeyOutcome(delivered, first.Seq, Redeliver: false);
                }

                next++;
            }
        }

        return new KeyOutcome(delivered, null, Redeliver: false);
    }

    /// <summary>The first failure of an event is a warning with its stack trace; later ones are Debug lines.</summary>
    private void LogFailure(StreamSubscription subscription, GrainId grain, StreamEvent streamEvent, EventFailure failure, Exception exception)
    {
        if (failure.Logged)
        {
            RuntimeLog.StreamDeliveryFailedAgain(
                logger, subscription.Namespace, streamEvent.Partition, streamEvent.Seq, grain, failure.Attempts, exception.Message);
            return;
        }

        failure.Logged = true;
        RuntimeLog.StreamDeliveryFailed(logger, exception, subscription.Namespace, streamEvent.Partition, streamEvent.Seq, grain);
    }

    /// <summary>Records the event as set aside, durably, before anything may pass it; false when the store failed.</summary>
    private async Task<bool> TrySetAsideAsync(
        StreamSubscription subscription, GrainId grain, StreamEvent streamEvent, EventFailure failure, Exception exception, DeliveryState state,
        CancellationToken token)
    {
        var error = ErrorText(exception);
        try
        {
            await store.SetAsideAsync(subscription.GrainTypeName, streamEvent, error, failure.Attempts, token);
        }
        catch (Exception setAsideFailure) when (setAsideFailure is not OperationCanceledException || !token.IsCancellationRequested)
        {
            // Not recorded, so not passed: the next attempt sets it aside again.
            RuntimeLog.StreamDeliveryFailedAgain(
                logger, subscription.Namespace, streamEvent.Partition, streamEvent.Seq, grain, failure.Attempts, setAsideFailure.Message);
            return false;
        }

        RuntimeLog.StreamEventSetAside(
            logger, subscription.Namespace, streamEvent.Partition, streamEvent.Seq, streamEvent.Key, grain, failure.Attempts, error);
        RuntimeMetrics.StreamEventsSetAside.Add(1, new KeyValuePair<string, object?>("namespace", subscription.Namespace));
        state.SetAside[(streamEvent.Partition, streamEvent.Seq)] = true;
        state.Failures.TryRemove((streamEvent.Partition, streamEvent.Seq), out _);
        return true;
    }

    /// <summary>The exception's type and message, and those of its inner exceptions (no stack trace).</summary>
    private static string ErrorText(Exception exception)
    {
        var text = new System.Text.StringBuilder();
        for (var current = exception; current is not null; current = current.InnerException)
        {
            text.Append(text.Length == 0 ? "" : " ---> ").Append(current.GetType().FullName).Append(": ").Append(current.Message);
        }

        return text.Length <= MaxErrorLength ? text.ToString() : text.ToString(0, MaxErrorLength);
    }

    /// <summary>What became of one key's events in a round.</summary>
    /// <param name="Delivered">The last seq delivered, if any.</param>
    /// <param name="FailedAt">The first event not finished (neither delivered nor set aside), if any.</param>
    /// <param name="Redeliver">The subscriber asked for its partition again from the saved checkpoint.</param>
    private sealed record KeyOutcome(long? Delivered, long? FailedAt, bool Redeliver);

    /// <summary>How often an event failed, and whether that was logged at Warning yet.</summary>
    private sealed class EventFailure
    {
        public int Attempts { get; set; }

        public bool Logged { get; set; }
    }

    /// <summary>
    /// What the pump of one subscription remembers across rounds: failures per event (partition, seq)
    /// and the events it set aside that its saved checkpoints have not passed yet.
    /// </summary>
    private sealed class DeliveryState
    {
        public ConcurrentDictionary<(int Partition, long Seq), EventFailure> Failures { get; } = new();

        public ConcurrentDictionary<(int Partition, long Seq), bool> SetAside { get; } = new();

        public void Delivered(List<StreamEvent> events)
        {
            if (!Failures.IsEmpty)
            {
                foreach (var e in events)
                {
                    Failures.TryRemove((e.Partition, e.Seq), out _);
                }
            }
        }

        /// <summary>The saved checkpoints passed these positions: nothing at or below them comes again.</summary>
        public void Passed(IReadOnlyList<StreamPosition> positions)
        {
            if (Failures.IsEmpty && SetAside.IsEmpty)
            {
                return;
            }

            var saved = positions.ToDictionary(p => p.Partition, p => p.Seq);
            foreach (var key in Failures.Keys.Concat(SetAside.Keys).ToList())
            {
                if (saved.TryGetValue(key.Partition, out var seq) && key.Seq <= seq)
                {
                    Failures.TryRemove(key, out _);
                    SetAside.TryRemove(key, out _);
                }
            }
        }
    }

    private enum PartitionOutcome
    {
        Drained,
        MoreRemain,
        Failed,
    }
}
